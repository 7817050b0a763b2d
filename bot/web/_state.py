"""What every dashboard request handler reads: the service, the database, the signing keys."""

from dataclasses import dataclass, field

from aiohttp import web
from jinja2 import Environment
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.web._keys import Keys, SessionData
from bot.web._limits import AttemptLimiter
from handlers.kernel import Clock, LadderConfig
from handlers.service import LadderService
from handlers.signin import DashboardAddress
from models import Community, Member


@dataclass
class Dashboard:
    """One dashboard application's state (kept on the app, never in a module global)."""

    service: LadderService
    keys: Keys
    address: DashboardAddress
    env: Environment
    limiter: AttemptLimiter = field(default_factory=AttemptLimiter)
    link_clock: Clock | None = None

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The database, as the service sees it."""
        return self.service.sessions

    @property
    def config(self) -> LadderConfig:
        """The ladder config in force."""
        return self.service.config

    @property
    def clock(self) -> Clock:
        """The service's clock: figures are computed at its time."""
        return self.service.clock

    @property
    def security_clock(self) -> Clock:
        """What links, sessions and the rate limit age by: the service's clock, unless the
        dashboard serves a simulated community (the demo), whose links still age in real time."""
        return self.link_clock or self.service.clock

    @property
    def secure_cookies(self) -> bool:
        """Cookies are ``Secure`` when the dashboard's public address is https."""
        return self.address.url.startswith("https://")


@dataclass(frozen=True)
class Viewer:
    """The signed-in manager and their community, checked afresh on every request."""

    session: SessionData
    community: Community
    member: Member

    @property
    def community_id(self) -> int:
        """The community every id in a URL is looked up within."""
        assert self.community.id is not None
        return self.community.id


DASHBOARD = web.AppKey("dashboard", Dashboard)
VIEWER = web.RequestKey("viewer", Viewer)
