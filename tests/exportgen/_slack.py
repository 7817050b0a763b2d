"""A script written as a Slack workspace export of one era.

``2016``: no threads (a reply is a channel message naming the asker), ``channel_join``, old file
shares. ``2018``: threads with the parent's ``replies`` list and ``parent_user_id``. ``modern``:
``reply_users``/``latest_reply``, ``blocks``, ``user_profile``, ``edited``, ``bot_id`` with
``bot_profile``, files, skin-tone reaction names, a private channel (``groups.json``) and direct
messages (``dms.json``, ``mpims.json``). ``grid``: modern with ``org_users.json``.
"""

import json
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

from ._manifest import Manifest
from ._population import Person
from ._script import Post, Script

ERAS = ("2016", "2018", "modern", "grid")
TEAM = "T0GEN0001"


def user_id(person: Person) -> str:
    """A Slack member id (bots get a bot user id)."""
    return f"{'B' if person.bot else 'U'}{person.number:08d}"


def channel_id(name: str) -> str:
    """A Slack channel id for a channel name."""
    return f"C{zlib.crc32(name.encode()):010d}"


def _ts(post: Post) -> str:
    return f"{post.at.timestamp():.6f}"


def _user(person: Person, era: str) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": user_id(person),
        "team_id": TEAM,
        "name": person.name,
        "real_name": person.display,
        "deleted": False,
        "is_admin": person.admin,
        "is_owner": person.admin,
        "is_bot": person.bot,
        "profile": {"display_name": person.display, "real_name": person.display},
    }
    if era == "grid":
        user["enterprise_user"] = {"enterprise_id": "E0GEN0001", "teams": [TEAM]}
    return user


def _message(post: Post, era: str, manifest: Manifest) -> dict[str, Any] | None:
    uid = user_id(post.author)
    base: dict[str, Any] = {"type": "message", "ts": _ts(post), "text": post.text}
    if post.kind == "join":
        manifest.joins += 1
        manifest.members.add(uid)
        return base | {"subtype": "channel_join", "user": uid, "text": f"<@{uid}> has joined the channel"}
    if post.kind == "bot":
        manifest.bots += 1
        if era == "2016":
            return base | {"subtype": "bot_message", "username": post.author.name, "bot_id": uid}
        return base | {"bot_id": uid, "bot_profile": {"id": uid, "name": post.author.name}, "user": uid}
    if post.kind == "system":
        manifest.system += 1
        return base | {"subtype": "pinned_item", "user": uid, "text": f"<@{uid}> pinned a message"}
    manifest.messages += 1
    manifest.members.add(uid)
    text = post.text
    for person in post.mentions:
        text = text.replace(f"@{person.name}", f"<@{user_id(person)}>")
    threaded = post.root is not None and era != "2016" and not post.in_channel
    if not threaded and (addressee := post.addressee()) is not None and addressee not in post.mentions:
        text = f"<@{user_id(addressee)}> {text}"
    message = base | {"user": uid, "text": text}
    if threaded:
        assert post.root is not None
        message |= {"thread_ts": _ts(post.root), "parent_user_id": user_id(post.root.author)}
    if era in ("modern", "grid"):
        message |= {
            "client_msg_id": f"{post.number:08x}-0000-4000-8000-000000000000",
            "team": TEAM,
            "user_team": TEAM,
            "user_profile": {"display_name": post.author.display, "real_name": post.author.display},
            "blocks": [{"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": [
                {"type": "text", "text": message["text"]}]}]}],
        }  # fmt: skip
        if post.edited_at is not None:
            message["edited"] = {"user": uid, "ts": f"{post.edited_at.timestamp():.6f}"}
    reactions = []
    for name, people in post.reactions.items():
        spelled = name if era in ("modern", "grid") else name.split("::", 1)[0]
        users = [user_id(p) for p in people]
        reactions.append({"name": spelled, "users": users, "count": len(users)})
        manifest.reactions += sum(not p.bot for p in people)
        manifest.members.update(user_id(p) for p in people if not p.bot)
    if reactions:
        message["reactions"] = reactions
    return message


def _thread_fields(days: dict[tuple[str, str], list[dict[str, Any]]], era: str) -> None:
    """Give each thread's parent the reply fields of its era."""
    parents: dict[str, dict[str, Any]] = {}
    replies: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for messages in days.values():
        for message in messages:
            parents[message["ts"]] = message
            if "parent_user_id" in message:
                replies[message["thread_ts"]].append(message)
    for ts, answers in replies.items():
        parent = parents[ts]
        parent |= {"thread_ts": ts, "reply_count": len(answers)}
        if era == "2018":
            parent |= {"replies": [{"user": a["user"], "ts": a["ts"]} for a in answers], "unread_count": 0}
        else:
            users = list(dict.fromkeys(a["user"] for a in answers))
            parent |= {
                "reply_users": users,
                "reply_users_count": len(users),
                "latest_reply": answers[-1]["ts"],
            }


def write(script: Script, root: Path, era: str = "modern") -> Manifest:
    """Write the export under ``root`` and return what it holds."""
    manifest = Manifest(root)
    days: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for post in script.posts:
        message = _message(post, era, manifest)
        if message is not None:
            days[(post.channel, post.at.date().isoformat())].append(message)
    if era != "2016":
        _thread_fields(days, era)
    root.mkdir(parents=True, exist_ok=True)
    users = [_user(p, era) for p in script.people]
    (root / ("org_users.json" if era == "grid" else "users.json")).write_text(json.dumps(users, indent=1))
    channels = [
        {"id": channel_id(c), "name": c, "created": 1614589200, "members": []} for c in script.channels
    ]
    (root / "channels.json").write_text(json.dumps(channels, indent=1))
    for (channel, day), messages in days.items():
        folder = root / channel
        folder.mkdir(exist_ok=True)
        (folder / f"{day}.json").write_text(json.dumps(messages, indent=4, ensure_ascii=False))
        manifest.files += 1
    if era in ("modern", "grid"):
        _private(root, script, manifest)
    return manifest


def _private(root: Path, script: Script, manifest: Manifest) -> None:
    """A private channel (imported) and direct messages (skipped), as a full export has them."""
    humans = [p for p in script.people if not p.bot]
    (root / "groups.json").write_text(json.dumps([{"id": "G0PRIVATE1", "name": "maintainers"}]))
    a, b, c = (user_id(p) for p in humans[:3])
    (root / "dms.json").write_text(json.dumps([{"id": "D0DIRECT01", "members": [a, b]}]))
    (root / "mpims.json").write_text(json.dumps([{"id": "G0MPIM0001", "name": f"mpdm-{a}--{b}--{c}-1"}]))
    ts = f"{script.posts[-1].at.timestamp() + 60:.6f}"
    for folder, text in (("maintainers", "release plan for next week?"), ("D0DIRECT01", "psst, lunch?")):
        (root / folder).mkdir()
        (root / folder / "2030-01-01.json").write_text(
            json.dumps([{"type": "message", "user": a, "text": text, "ts": ts}])
        )
        manifest.files += 1
    manifest.messages += 1
    manifest.private_messages += 1
    mpim = root / f"mpdm-{a}--{b}--{c}-1"
    mpim.mkdir()
    (mpim / "2030-01-01.json").write_text(
        json.dumps([{"type": "message", "user": b, "text": "group dm", "ts": ts}])
    )
    manifest.files += 1
    manifest.private_messages += 1
