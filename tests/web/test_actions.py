"""Actions on the dashboard are the chat's commands: same replies, refusals, audit and notices."""

import re

from web_harness import WebHarness

from handlers.kernel import DEFAULT_LEVELS
from models import QuestStatus

_MENTION = re.compile(r"<@([^>]+)>")


async def post(web_app: WebHarness, path: str, **form: str) -> str:
    """Submit a form as the signed-in manager; return the replies shown on the page it leads to."""
    response = await web_app.http.post(path, data={"csrf": await web_app.csrf(), **form})
    assert response.status == 200, await response.text()
    flash = re.search(r'<section class="flash"[^>]*>(.*?)</section>', await response.text(), re.S)
    assert flash is not None, "the page shows Ladder's reply"
    return re.sub(r"<[^>]+>", "", flash[1]).strip()


async def test_promoting_on_the_web_is_the_chat_promotion(web_app: WebHarness) -> None:
    """The page shows the chat's reply word for word (mentions as names), the member is told by
    DM with the reason, and the audit log has the manager and the reason."""
    for who in ("jane", "bob"):
        await web_app.core.text(who, "skills docs")
    chat = await web_app.core.text("manager", "promote @bob 2 ran the docs sprint")
    await web_app.sign_in()
    jane = await web_app.member_id("jane")
    shown = await post(
        web_app,
        f"/dashboard/members/{jane}/level",
        direction="promote",
        level="2",
        reason="ran the docs sprint",
    )
    assert shown == _MENTION.sub("@jane", chat)
    assert "A manager set your level to 2" in web_app.core.dm_texts("jane")
    assert "Reason: ran the docs sprint" in web_app.core.dm_texts("jane")
    audit = await (await web_app.http.get("/dashboard/audit?manual=1")).text()
    assert audit.count("ran the docs sprint") == 2
    assert (await web_app.core.member("jane")).level == 2


async def test_a_refused_promotion_shows_the_chats_refusal_and_changes_nothing(web_app: WebHarness) -> None:
    """Promoting to the level a member already has is refused with the chat's usage and reason."""
    await web_app.core.text("jane", "skills docs")
    await web_app.sign_in()
    jane = await web_app.member_id("jane")
    shown = await post(
        web_app, f"/dashboard/members/{jane}/level", direction="promote", level="0", reason="x"
    )
    assert shown.startswith("Usage: /ladder promote @member &lt;level&gt; &lt;reason&gt;")
    assert "is already at level 0; promote goes up." in shown
    audit = await (await web_app.http.get("/dashboard/audit")).text()
    assert "No level change yet." in audit


async def test_demoting_needs_a_reason(web_app: WebHarness) -> None:
    """A demotion with no reason is refused as the chat refuses it; with one it is recorded."""
    await web_app.core.set_level("jane", 2)
    await web_app.sign_in()
    jane = await web_app.member_id("jane")
    refused = await post(
        web_app, f"/dashboard/members/{jane}/level", direction="demote", level="1", reason=""
    )
    assert "a reason (kept in the audit log)" in refused
    assert (await web_app.core.member("jane")).level == 2
    done = await post(
        web_app, f"/dashboard/members/{jane}/level", direction="demote", level="1", reason="asked"
    )
    assert done == "Demoted @jane to level 1 · Participant. Kept in the audit log with your reason."


async def test_a_ready_member_is_confirmed_from_the_ready_page(web_app: WebHarness) -> None:
    """A member who meets everything but a confirmation is listed with a Confirm button; pressing
    it promotes them with the default reason, and they leave the list."""
    levels = tuple(
        rule.model_copy(update={"manager_confirmation": True}) if rule.number == 1 else rule
        for rule in DEFAULT_LEVELS
    )
    web_app.core.ladder.config = web_app.core.ladder.config.model_copy(update={"levels": levels})
    await web_app.core.post("jane", "Hi, I'm Jane and I write docs", channel="intros")
    await web_app.sign_in()
    page = await (await web_app.http.get("/dashboard/ready")).text()
    assert "1 member waits for a manager's confirmation" in page and "jane" in page
    jane = await web_app.member_id("jane")
    shown = await post(web_app, f"/dashboard/members/{jane}/confirm", level="1", back="/dashboard/ready")
    assert shown == "Promoted @jane to level 1 · Participant. Kept in the audit log with your reason."
    page = await (await web_app.http.get("/dashboard/ready")).text()
    assert "Nobody is waiting for a confirmation." in page
    audit = await (await web_app.http.get("/dashboard/audit")).text()
    assert "confirmed on the dashboard: meets every requirement" in audit


async def test_quests_are_approved_and_rejected_as_in_the_chat(web_app: WebHarness) -> None:
    """A pending submission is approved from the Quest reviews page; a rejection needs a reason."""
    for who in ("jane", "bob"):
        await web_app.core.set_level(who, 1)
        await web_app.core.text(who, "quest submit read-the-guide I read it and fixed a typo")
    await web_app.sign_in()
    page = await (await web_app.http.get("/dashboard/quests")).text()
    ids = [int(found) for found in re.findall(r'action="/dashboard/quests/(\d+)/review"', page)]
    assert len(ids) == 2 and "I read it and fixed a typo" in page
    approved = await post(web_app, f"/dashboard/quests/{ids[0]}/review", decision="approve", note="")
    assert approved == "“Read the community guide” approved for @jane."
    assert "was approved" in web_app.core.dm_texts("jane")
    refused = await post(web_app, f"/dashboard/quests/{ids[1]}/review", decision="reject", note="")
    assert "Give a reason so the member knows what to change." in refused
    rejected = await post(
        web_app, f"/dashboard/quests/{ids[1]}/review", decision="reject", note="link is broken"
    )
    assert rejected == "“Read the community guide” returned for @bob."
    reviewed = await (await web_app.http.get("/dashboard/quests?view=reviewed")).text()
    assert reviewed.count(QuestStatus.APPROVED.value) == 1 and "link is broken" in reviewed


async def test_closing_a_call_from_the_calls_page(web_app: WebHarness) -> None:
    """The "Close" button on an open call closes it as ``/ladder call close`` does."""
    await web_app.core.text("manager", 'call new "Docs sprint" need=2')
    await web_app.sign_in()
    assert 'action="/dashboard/calls/1/close"' in await (await web_app.http.get("/dashboard/calls")).text()
    assert await post(web_app, "/dashboard/calls/1/close") == "Call #1 is closed."
    page = await (await web_app.http.get("/dashboard/calls")).text()
    assert 'action="/dashboard/calls/1/close"' not in page and ">closed<" in page


async def test_after_an_action_the_page_goes_back_only_inside_the_dashboard(web_app: WebHarness) -> None:
    """A form's ``back`` may name a dashboard page, never another site."""
    await web_app.core.text("jane", "skills docs")
    await web_app.sign_in()
    jane = await web_app.member_id("jane")
    for back, expected in (
        ("/dashboard/ready", "/dashboard/ready"),
        ("https://evil.example/", f"/dashboard/members/{jane}"),
        ("//evil.example/dashboard/", f"/dashboard/members/{jane}"),
    ):
        response = await web_app.http.post(
            f"/dashboard/members/{jane}/level",
            data={
                "csrf": await web_app.csrf(),
                "direction": "promote",
                "level": "9",
                "reason": "x",
                "back": back,
            },
            allow_redirects=False,
        )
        assert response.status == 303 and response.headers["Location"] == expected
