"""PostgreSQL-only tests: they run when LADDER_TEST_DATABASE_URL names a server, else skip.

They reuse the scheduler harness of ``tests/scheduling`` and the fake Web API of ``tests/slack``
(made importable here).
"""

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "scheduling"))
sys.path.insert(0, str(Path(__file__).parents[1] / "slack"))

from db import server_url
from scheduling_harness import Deployment, deployed


@pytest.fixture
async def deployment(tmp_path: Path) -> AsyncIterator[Deployment]:
    """A fresh PostgreSQL database with the test community and a digest channel, on Sunday."""
    if server_url() is None:
        pytest.skip("set LADDER_TEST_DATABASE_URL (bash .ci/postgres.sh prints one)")
    async with deployed(tmp_path) as created:
        yield created
