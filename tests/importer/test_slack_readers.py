"""What the Slack reader hands the core from exports of every era: threads, reactions, mentions."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from exportgen import write, zip_folder
from readers import of_kind, read

from handlers.kernel import EventKind
from handlers.ladder import message_key, reaction_key

USERS = [
    {"id": "U1", "team_id": "T9", "name": "ada", "profile": {"display_name": "Ada"}},
    {"id": "U2", "team_id": "T9", "name": "bob", "profile": {"display_name": "Bob"}},
    {"id": "B1", "team_id": "T9", "name": "ci", "is_bot": True},
]


def _export(root: Path, days: dict[str, list[dict[str, Any]]], users: str = "users.json") -> Path:
    root.mkdir()
    (root / users).write_text(json.dumps(USERS))
    (root / "channels.json").write_text(json.dumps([{"id": "C1", "name": "help"}]))
    (root / "help").mkdir()
    for day, messages in days.items():
        (root / "help" / f"{day}.json").write_text(json.dumps(messages))
    return root


def _thread() -> list[dict[str, Any]]:
    return [
        {
            "type": "message",
            "user": "U1",
            "ts": "1700000000.000100",
            "text": "How do I rotate the logs?",
            "thread_ts": "1700000000.000100",
            "reply_count": 2,
            "reply_users": ["U2", "U1"],
        },
        {
            "type": "message",
            "user": "U2",
            "ts": "1700000060.000200",
            "text": "<@U1|ada> use logrotate &amp; cron",
            "thread_ts": "1700000000.000100",
            "parent_user_id": "U1",
            "edited": {"user": "U2", "ts": "1700000099.0"},
            "reactions": [
                {"name": "+1::skin-tone-2", "users": ["U1", "B1"], "count": 5},
                {"name": "pray", "users": ["U1"], "count": 1},
            ],
        },
        {
            "type": "message",
            "user": "U1",
            "ts": "1700000120.000300",
            "text": "thanks!",
            "thread_ts": "1700000000.000100",
            "parent_user_id": "U1",
        },
    ]


def test_every_reactor_becomes_a_reaction_at_the_replys_time(tmp_path: Path) -> None:
    """Each listed reactor is one REACTION with Slack's raw name and the live key; the reply's
    time stands in for the reaction's; bots and the reactors Slack did not list are counted."""
    events, _, skipped = read("slack", _export(tmp_path / "x", {"2023-11-14": _thread()}))
    reply = next(e for e in events if e.message_id == "1700000060.000200")
    thumbs, pray = of_kind(events, EventKind.REACTION)
    assert (thumbs.actor.external_id, thumbs.text, pray.text) == ("U1", "+1::skin-tone-2", "pray")
    assert thumbs.key == reaction_key("slack", "C1", reply.message_id or "", "U1", "+1::skin-tone-2")
    assert thumbs.key == "slack:C1:1700000060.000200:U1:+1"
    assert thumbs.at == reply.at == datetime.fromtimestamp(1700000060.0002, UTC)
    assert thumbs.thread_id == reply.thread_id == "1700000000.000100"
    assert skipped.reasons["bot reactions"] == 1
    assert skipped.reasons["reactions without reactor ids (Slack lists the first reactors only)"] == 3


def test_thread_replies_name_their_root_and_mentions_their_members(tmp_path: Path) -> None:
    """A reply names its thread's root; ``<@U…|name>`` is a mention; the text is unescaped."""
    events, questions, _ = read("slack", _export(tmp_path / "x", {"2023-11-14": _thread()}))
    root, reply, thanks = of_kind(events, EventKind.MESSAGE)
    assert root.key == message_key("slack", "C1", "1700000000.000100") and root.thread_id is None
    assert questions == {root.key}
    assert reply.thread_id == thanks.thread_id == "1700000000.000100"
    assert reply.mentions == ("U1",) and reply.text == "<@U1|ada> use logrotate & cron"
    assert reply.actor.display_name == "Bob"


def test_edits_deletions_blocks_and_unknown_authors(tmp_path: Path) -> None:
    """A ``message_changed`` record gives the final text, a deleted message is gone, a message with
    only blocks keeps their text, and an author missing from users.json is named from the message."""
    day: list[dict[str, Any]] = [
        {"type": "message", "user": "U1", "ts": "1700000000.1", "text": "How do I sing?"},
        {
            "type": "message",
            "subtype": "message_changed",
            "ts": "1700000005.1",
            "message": {
                "type": "message",
                "user": "U1",
                "ts": "1700000000.1",
                "text": "How do I sign the release?",
            },
        },
        {"type": "message", "user": "U2", "ts": "1700000010.1", "text": "oops"},
        {"type": "message", "subtype": "message_deleted", "ts": "1700000011.1", "deleted_ts": "1700000010.1"},
        {
            "type": "message",
            "user": "U7",
            "ts": "1700000020.1",
            "text": "",
            "user_profile": {"real_name": "Zoë"},
            "blocks": [
                {
                    "type": "rich_text",
                    "elements": [
                        {
                            "type": "rich_text_section",
                            "elements": [
                                {"type": "text", "text": "with gpg, "},
                                {"type": "user", "user_id": "U1"},
                            ],
                        }
                    ],
                }
            ],
        },
        {"type": "message", "subtype": "group_join", "user": "U2", "ts": "1700000030.1", "text": "joined"},
    ]
    events, _, skipped = read("slack", _export(tmp_path / "x", {"2023-11-14": day}))
    first, last = of_kind(events, EventKind.MESSAGE)
    assert first.text == "How do I sign the release?"
    assert last.text == "with gpg, <@U1>" and last.mentions == ("U1",) and last.actor.display_name == "Zoë"
    assert [e.actor.external_id for e in of_kind(events, EventKind.MEMBER_JOINED)] == ["U2"]
    assert skipped.reasons["deleted messages"] == 1


@pytest.mark.parametrize("top", [True, False])
def test_a_grid_export_zipped_with_or_without_a_top_folder(tmp_path: Path, top: bool) -> None:
    """``org_users.json`` and a .zip with or without its top folder read the same as the folder."""
    manifest = write("slack-grid", tmp_path / "grid")
    folder_events, _, _ = read("slack", tmp_path / "grid")
    archive = zip_folder(tmp_path / "grid", tmp_path / "grid.zip", top=top)
    zipped_events, _, skipped = read("slack", archive)
    assert zipped_events == folder_events and len(zipped_events) == manifest.events
    assert skipped.reasons["direct messages (private conversations are not imported)"] == 2


def test_private_channels_import_and_direct_messages_do_not(tmp_path: Path) -> None:
    """A private channel (groups.json) is a community channel; DMs and group DMs are not."""
    write("slack-modern", tmp_path / "full")
    events, _, _ = read("slack", tmp_path / "full")
    channels = {e.channel_id for e in events}
    assert "G0PRIVATE1" in channels
    assert not channels & {"D0DIRECT01"} and not any(str(c).startswith("mpdm-") for c in channels)
