"""Fixtures for the scheduler tests (the harness itself is in ``scheduling_harness``)."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from scheduling_harness import Deployment, deployed


@pytest.fixture
async def deployment(tmp_path: Path) -> AsyncIterator[Deployment]:
    """A fresh database with the test community, its manager and a digest channel, on Sunday."""
    async with deployed(tmp_path) as created:
        yield created
