"""Replicas acting at the same moment on PostgreSQL: first commands all succeed, budgets hold.

Each replica has its own engine, so its own connections and transactions, as separate processes
would; the commands are started together with ``asyncio.gather``.
"""

import asyncio
from pathlib import Path

import pytest
from core_harness import config_for_tests
from db import server_url
from replicas import MANAGER, replicas
from sqlmodel import col

from handlers.kernel import Calls, Routing
from models import Assignment, Call, CallInvite, Community, Member, Quest, QuestProgress

pytestmark = pytest.mark.skipif(
    server_url() is None, reason="set LADDER_TEST_DATABASE_URL (bash .ci/postgres.sh prints one)"
)


async def test_four_members_first_commands_at_once_all_succeed(tmp_path: Path) -> None:
    """A fresh database, four members' first ``/ladder level`` at the same moment on four
    replicas: four answers, one community (with its quests), four members."""
    async with replicas(tmp_path, 4) as r:
        who = ["ana", "ben", "cy", "dee"]
        answers = await asyncio.gather(*(r.say(w, "level", i) for i, w in enumerate(who)))
        assert all("is level 0" in a for a in answers), answers
        assert await r.count(Community) == 1
        assert await r.count(Member) == 4
        assert await r.count(Quest) == len(config_for_tests().quests)


async def test_one_new_members_quick_commands_all_succeed(tmp_path: Path) -> None:
    """A new member's three quick commands, each on another replica: three answers, one member."""
    async with replicas(tmp_path, 3) as r:
        answers = await asyncio.gather(
            r.say("ana", "level", 0), r.say("ana", "why", 1), r.say("ana", "quests", 2)
        )
        assert "is level 0" in answers[0]
        assert "Participant" in answers[1]
        assert "Say hello" in answers[2]
        assert await r.count(Member) == 1


async def test_the_open_call_budget_holds_across_replicas(tmp_path: Path) -> None:
    """Two calls open of a budget of three; three replicas open one each at once: one opens,
    two are refused with the list of open calls."""
    async with replicas(tmp_path, 3) as r:
        for n in range(2):
            assert "is open until" in await r.say(MANAGER, f'call new "Sprint {n}" need=1')
        answers = await asyncio.gather(*(r.say(MANAGER, f'call new "Rush {n}" need=1', n) for n in range(3)))
        assert sum("is open until" in a for a in answers) == 1, answers
        assert sum("already has 3 open calls" in a for a in answers) == 2, answers
        assert await r.count(Call, col(Call.status) == "open") == 3


async def test_a_members_weekly_invitation_cap_holds_across_replicas(tmp_path: Path) -> None:
    """Ivy may be invited once a week; three calls opened at once on three replicas invite her once."""
    config = config_for_tests(calls=Calls(max_open=10, max_invites_per_member_per_week=1))
    async with replicas(tmp_path, 3, config) as r:
        await r.say(MANAGER, "level")
        await r.active("ivy")
        await asyncio.gather(*(r.say(MANAGER, f'call new "Rush {n}" need=1', n) for n in range(3)))
        assert await r.count(Call) == 3
        assert await r.count(CallInvite) == 1
        invitations = [s for port in r.ports for s in port.to("dm", "ivy")]
        assert len(invitations) == 1


async def test_a_helpers_daily_ping_cap_holds_across_replicas(tmp_path: Path) -> None:
    """Hal may be pinged once a day; three newcomers ask at once on three replicas: one ping."""
    base = config_for_tests()
    config = base.model_copy(
        update={"routing": Routing(help_channels=base.routing.help_channels, max_pings_per_helper_per_day=1)}
    )
    async with replicas(tmp_path, 3, config) as r:
        await r.say(MANAGER, "level")
        await r.active("hal")
        assert "Helper" in await r.say(MANAGER, "promote @hal 3 knows the codebase")
        await r.active("hal")
        asked = await asyncio.gather(
            *(
                r.say(who, f"ask How do I configure widget {n}?", n)
                for n, who in enumerate(["ana", "ben", "cy"])
            )
        )
        assert all("Question #" in a for a in asked), asked
        assert await r.count(Assignment) == 1
        pings = [
            s
            for port in r.ports
            for s in port.to("dm", "hal")
            if "Can you help" in (s.message.title if s.message else "")
        ]
        assert len(pings) == 1


async def test_a_quest_submitted_twice_at_once_waits_for_review_once(tmp_path: Path) -> None:
    """The same quest submitted on two replicas at once: one submission, one refusal."""
    async with replicas(tmp_path, 2) as r:
        await r.say("ana", "level")
        await r.say(MANAGER, "promote @ana 1 introduced herself at the meetup")
        quest = next(q for q in config_for_tests().quests if q.level == 1 and not q.auto_kinds)
        answers = await asyncio.gather(
            *(r.say("ana", f"quest submit {quest.key} https://example.org/pr/{n}", n) for n in range(2))
        )
        assert sum(a.startswith("Submitted") for a in answers) == 1, answers
        assert await r.count(QuestProgress) == 1
