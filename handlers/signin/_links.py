"""One-time sign-in links: issued with a random token, stored as its hash, consumed once."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import SignInLink

LINK_LIFETIME = timedelta(minutes=15)
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100  # a real token is 43 characters; anything far longer is not worth hashing


class LinkState(StrEnum):
    """What a presented link turned out to be."""

    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class LinkCheck:
    """A link's state and, when it is (or was) real, whom it was issued to."""

    state: LinkState
    community_id: int | None = None
    member_id: int | None = None


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as stored (the token itself never is)."""
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_link(session: AsyncSession, *, community_id: int, member_id: int, now: datetime) -> str:
    """Create a link for one manager of one community and return its token (shown once)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        SignInLink(
            token_hash=token_hash(token),
            community_id=community_id,
            member_id=member_id,
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
    )
    await session.flush()
    return token


async def check_link(session: AsyncSession, token: str, now: datetime) -> LinkCheck:
    """Say what a link is without using it (a link scanner's GET must not burn it)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return LinkCheck(LinkState.UNKNOWN)
    link = (await session.exec(select(SignInLink).where(SignInLink.token_hash == token_hash(token)))).first()
    if link is None:
        return LinkCheck(LinkState.UNKNOWN)
    if link.used_at is not None:
        state = LinkState.USED
    elif link.expires_at <= now:
        state = LinkState.EXPIRED
    else:
        state = LinkState.VALID
    return LinkCheck(state, link.community_id, link.member_id)


async def consume_link(session: AsyncSession, token: str, now: datetime) -> LinkCheck:
    """Use a link: one conditional UPDATE, so two clicks racing each other sign in only once."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return LinkCheck(LinkState.UNKNOWN)
    used = await session.execute(
        update(SignInLink)
        .where(
            col(SignInLink.token_hash) == token_hash(token),
            col(SignInLink.used_at).is_(None),
            col(SignInLink.expires_at) > now,
        )
        .values(used_at=now)
        .returning(col(SignInLink.community_id), col(SignInLink.member_id))
    )
    row = used.first()
    if row is not None:
        return LinkCheck(LinkState.VALID, row[0], row[1])
    return await check_link(session, token, now)
