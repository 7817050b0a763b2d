"""The secret that signs dashboard sessions, generated once and shared through the database."""

import secrets

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from models import ServerSecret, utcnow
from models.queries import insert_new

SESSION_SECRET = "dashboard-session"  # noqa: S105 - the name of the stored secret, not a secret


async def signing_secret(session: AsyncSession, name: str = SESSION_SECRET) -> str:
    """Return the stored secret called ``name``, creating it the first time.

    Two replicas starting at once both try to insert; the insert ignores the conflict and both
    read back the same winner, so every replica signs with one key without any configuration.
    """
    row = {"name": name, "value": secrets.token_urlsafe(48), "created_at": utcnow()}
    await insert_new(session, ServerSecret, [row], ("name",))
    return (await session.exec(select(ServerSecret.value).where(ServerSecret.name == name))).one()
