"""What the DiscordChatExporter readers hand the core: keys, replies, mentions, reactions, times."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readers import of_kind, read

from handlers.kernel import EventKind
from handlers.ladder import reaction_key

GUILD = {"id": "900", "name": "Makers"}
ADA = {"id": "1", "name": "ada", "discriminator": "0001", "nickname": "Ada L.", "isBot": False}
BOB = {"id": "2", "name": "bob", "discriminator": "0002", "nickname": "Bob", "isBot": False}
BOT = {"id": "3", "name": "helperbot", "discriminator": "0003", "isBot": True}


def _m(mid: str, at: str, author: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
    return {"id": mid, "type": "Default", "timestamp": at, "content": text, "author": author} | extra


def _export(folder: Path, name: str, channel: dict[str, Any], messages: list[dict[str, Any]]) -> None:
    folder.mkdir(exist_ok=True)
    export = {"guild": GUILD, "channel": channel, "messages": messages, "messageCount": len(messages)}
    (folder / name).write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")


def _help_channel(folder: Path) -> None:
    """#help: a question, an inline reply the asker thanks for and reacts to, a bot post."""
    thumbs = {"emoji": {"id": None, "name": "👍🏽"}, "count": 2, "users": [ADA, BOT]}
    messages = [
        _m("11", "2024-03-01T10:00:00+01:00", ADA, "How do I flash the firmware on the board?"),
        _m(
            "12",
            "2024-03-01T10:05:00+01:00",
            BOB,
            "Hold BOOT while plugging it in (edited: and keep it held)",
            type="Reply",
            timestampEdited="2024-03-01T10:09:00+01:00",
            reference={"messageId": "11", "channelId": "50", "guildId": "900"},
            mentions=[ADA],
            reactions=[thumbs],
        ),
        _m(
            "13",
            "2024-03-01T10:07:00+01:00",
            ADA,
            "thanks @bob!",
            type="Reply",
            reference={"messageId": "12"},
            mentions=[BOB],
        ),
        _m("14", "2024-03-01T10:08:00+01:00", BOT, "Beep boop"),
        _m("15", "2024-03-01T10:09:00+01:00", ADA, "", type="ChannelPinnedMessage"),
    ]
    _export(
        folder,
        "Makers - Text - help [50].json",
        {"id": "50", "type": "GuildTextChat", "name": "help"},
        messages,
    )


def test_inline_replies_mentions_and_reactions_reach_the_core(tmp_path: Path) -> None:
    """An inline reply names its target, mentions name members, and each human reactor becomes a
    REACTION keyed as live, with the raw emoji and the reply's time (the export keeps none)."""
    _help_channel(tmp_path / "export")
    events, questions, skipped = read("discord", tmp_path / "export")
    messages = {e.message_id: e for e in of_kind(events, EventKind.MESSAGE)}
    assert set(messages) == {"11", "12", "13"}
    assert questions == {"11"}
    reply = messages["12"]
    assert reply.key == "12" and reply.reply_to == "11" and reply.mentions == ("1",)
    assert reply.text.endswith("keep it held)")
    assert reply.at == datetime(2024, 3, 1, 9, 5, tzinfo=UTC)
    assert messages["13"].reply_to == "12" and messages["13"].mentions == ("2",)
    [reaction] = of_kind(events, EventKind.REACTION)
    assert reaction.actor.external_id == "1" and reaction.text == "👍🏽"
    assert reaction.key == reaction_key("discord", "50", "12", "1", "👍🏽") == "12:1:👍"
    assert reaction.message_id == "12" and reaction.at == reply.at
    assert skipped.reasons["bot messages"] == 1 and skipped.reasons["bot reactions"] == 1
    assert skipped.reasons["system messages (ChannelPinnedMessage)"] == 1


def test_threads_and_forum_posts_name_their_parent_and_root(tmp_path: Path) -> None:
    """A thread's messages sit in its parent channel with the thread as root; a forum post's first
    message opens a question whose text starts with the post's title, as live."""
    folder = tmp_path / "export"
    _help_channel(folder)
    thread = {"id": "11", "type": "GuildPublicThread", "categoryId": "50", "name": "firmware"}
    _export(
        folder,
        "Makers - help - firmware [11].json",
        thread,
        [
            _m(
                "20",
                "2024-03-01T10:01:00+00:00",
                ADA,
                "",
                type="ThreadStarterMessage",
                reference={"messageId": "11"},
            ),
            _m("21", "2024-03-01T10:02:00+00:00", BOB, "Which board is it?"),
        ],
    )
    post = {"id": "70", "type": "GuildPublicThread", "categoryId": "60", "name": "Soldering SMD?"}
    _export(
        folder,
        "Makers - questions - Soldering [70].json",
        post,
        [
            _m("70", "2024-03-02T08:00:00+00:00", ADA, "What iron should I buy for SMD work?"),
            _m("71", "2024-03-02T08:03:00+00:00", BOB, "A temperature-controlled one.", type="21"),
        ],
    )
    events, questions, skipped = read("discord", folder)
    messages = {e.message_id: e for e in of_kind(events, EventKind.MESSAGE)}
    assert (messages["21"].channel_id, messages["21"].thread_id) == ("50", "11")
    assert (messages["70"].channel_id, messages["70"].thread_id) == ("60", None)
    assert messages["70"].text == "Soldering SMD?\nWhat iron should I buy for SMD work?"
    assert "70" in questions and "71" not in messages
    assert skipped.reasons["system messages (ThreadStarterMessage)"] == 2


def test_old_json_counts_reactions_it_cannot_attribute_and_reads_name_mentions(tmp_path: Path) -> None:
    """A 2020 export (no mentions, no reactors, no category) still links ``@name`` mentions."""
    old_ada = {"id": "1", "name": "ada", "discriminator": "0001", "isBot": False}
    old_bob = {"id": "2", "name": "bob", "discriminator": "0002", "isBot": False}
    messages = [
        _m("31", "2020-05-01T10:00:00+00:00", old_ada, "Why does my build fail on Windows?", reactions=[]),
        _m(
            "32",
            "2020-05-01T10:04:00+00:00",
            old_bob,
            "@ada use the MSVC toolchain",
            reactions=[{"emoji": {"id": "", "name": "🙏", "isAnimated": False}, "count": 3}],
        ),
    ]
    _export(
        tmp_path / "old",
        "Makers - general.json",
        {"id": "40", "type": "GuildTextChat", "name": "general"},
        messages,
    )
    events, _, skipped = read("discord", tmp_path / "old")
    answer = next(e for e in events if e.message_id == "32")
    assert answer.mentions == ("1",) and answer.thread_id == "31"
    assert skipped.reasons["reactions without reactor ids (older exports)"] == 3
    assert of_kind(events, EventKind.REACTION) == []


def test_name_mentions_resolve_across_files_and_spaces(tmp_path: Path) -> None:
    """Old exports write a mention as ``@`` and the display name, spaces and all; the member may
    have written only in another channel read earlier. An e-mail address is no mention, and a
    thanks naming someone else than the replier must not credit the replier."""
    ada = {"id": "1", "name": "Ada Lovelace", "discriminator": "0001", "isBot": False}
    bob = {"id": "2", "name": "bob", "discriminator": "0002", "isBot": False}
    _export(
        tmp_path / "old",
        "Makers - general.json",
        {"id": "40", "type": "GuildTextChat", "name": "general"},
        [_m("41", "2020-05-01T09:00:00+00:00", ada, "morning all")],
    )
    _export(
        tmp_path / "old",
        "Makers - help.json",
        {"id": "50", "type": "GuildTextChat", "name": "help"},
        [
            _m("51", "2020-05-01T10:00:00+00:00", bob, "thanks @Ada Lovelace, that fixed it"),
            _m("52", "2020-05-01T10:01:00+00:00", bob, "write to bob@example.org for access"),
        ],
    )
    events, _, _ = read("discord", tmp_path / "old")
    messages = {e.message_id: e for e in of_kind(events, EventKind.MESSAGE)}
    assert messages["51"].mentions == ("1",)
    assert messages["52"].mentions == ()


def test_the_observed_semicolon_csv_archive_imports(tmp_path: Path) -> None:
    """The older exporter's CSV (``;``, every field quoted, a trailing ``;``, ``05-Jun-18 07:13 AM``,
    CRLF, a BOM, content over several lines) is read, not refused as "not a DiscordChatExporter CSV"."""
    rows = [
        "AuthorID;Author;Date;Content;Attachments;Reactions;",
        '"1";"ada#0001";"05-Jun-18 07:13 AM";"How do I reset the board?\r\nIt hangs on boot";"";"";',
        '"2";"bob#0002";"05-Jun-18 07:20 AM";"@ada hold the reset pin; then power it";"";"✅ (1),👍 (2)";',
        '"1";"ada#0001";"05-Jun-18 12:01 PM";"Joined the server.";"";"";',
        '"4";"GitHub#0000";"06-Jun-18 09:00 AM";"[repo] 2 new commits";"";"";',
    ]
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "Makers - Text - help [50].csv").write_bytes(
        b"\xef\xbb\xbf" + "\r\n".join(rows).encode() + b"\r\n"
    )
    events, questions, skipped = read("discord", folder)
    first, second = of_kind(events, EventKind.MESSAGE)
    assert first.text == "How do I reset the board?\r\nIt hangs on boot"
    assert first.at == datetime(2018, 6, 5, 7, 13, tzinfo=UTC)
    assert second.mentions == ("1",) and second.thread_id == first.message_id
    assert questions == {first.key} and first.community.external_id == "csv:Makers"
    [join] = of_kind(events, EventKind.MEMBER_JOINED)
    assert join.actor.external_id == "1" and join.at == datetime(2018, 6, 5, 12, 1, tzinfo=UTC)
    assert skipped.reasons["bot messages"] == 1
    assert skipped.reasons["CSV reactions (CSV names no reactor)"] == 3


def test_csv_without_author_ids_takes_its_server_from_the_comments(tmp_path: Path) -> None:
    """The first CSV layout (``#`` comments, no AuthorID) names members by their full name."""
    text = "#https://github.com/Tyrrrz/DiscordChatExporter\n#Guild: Makers\n#Channel: help\n"
    text += 'Author,Date,Content,Attachments\n"ada#0001",01/12/2020 10:00,"Where are the docs?",\n'
    text += '"bob#0002",02/01/2020 09:00,"@ada on the wiki, page 2",\n'
    (tmp_path / "help.csv").write_text(text, encoding="utf-8")
    events, _, _ = read("discord", tmp_path / "help.csv")
    asked, answered = of_kind(events, EventKind.MESSAGE)
    assert asked.actor.external_id == "name:ada#0001" and asked.community.name == "Makers"
    assert asked.channel_id == "help"
    # 01/12 then 02/01 is only in order month first (12 Jan, 1 Feb), though the clock is 24-hour.
    assert (asked.at.month, answered.at.month) == (1, 2)
