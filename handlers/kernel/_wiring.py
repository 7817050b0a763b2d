"""What a use case that spans several transactions needs (the scheduled digest, delivery)."""

from typing import Protocol

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from handlers.kernel._clock import Clock
from handlers.kernel._config import LadderConfig
from handlers.kernel._delivery import Delivery
from handlers.kernel._observer import Observer
from handlers.kernel._port import ChatPort


class Wiring(Protocol):
    """The database, the config, the clock, the chat port and the observer, as the application
    service holds them (:class:`handlers.service.LadderService` is one)."""

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """Opens a unit of work."""
        ...

    @property
    def config(self) -> LadderConfig:
        """The ladder config."""
        ...

    @property
    def clock(self) -> Clock:
        """The time."""
        ...

    @property
    def port(self) -> ChatPort:
        """The chat platform."""
        ...

    @property
    def observer(self) -> Observer:
        """Where counts go after commit."""
        ...

    @property
    def delivery(self) -> Delivery:
        """Sends notices through the port after commit."""
        ...
