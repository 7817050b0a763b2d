"""The unit of work a use case runs in: one session (one transaction), the config and the time."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.kernel._config import LadderConfig
from models import Community, Member


@dataclass(slots=True)
class Scope:
    """Everything a use case may touch. The caller commits once, after the use case returns."""

    session: AsyncSession
    config: LadderConfig
    now: datetime
    community: Community

    @property
    def community_id(self) -> int:
        """The community's primary key (always set once the community is stored)."""
        assert self.community.id is not None
        return self.community.id


@dataclass(slots=True)
class Acting:
    """A use case's scope plus the member acting and whether they may run manager commands."""

    scope: Scope
    member: Member
    is_manager: bool

    @property
    def member_id(self) -> int:
        """The acting member's primary key."""
        assert self.member.id is not None
        return self.member.id
