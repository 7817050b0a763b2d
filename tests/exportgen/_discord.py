"""A script written as DiscordChatExporter JSON, old (2020) or new (threads, forums, replies).

``old``: no ``categoryId``, no ``mentions`` or ``reference``, reactions counted without their
reactors, replies are channel messages naming the asker. ``new``: questions answered by inline
replies (``Reply`` with ``reference``), in a thread started from the question (a thread file whose
first message is a ``ThreadStarterMessage``) or as forum posts (the first message's id is the
thread's); reactions list their reactors; edits carry ``timestampEdited``; bots answer slash
commands (``interaction``); a direct-message export sits beside the server's channels.
"""

import json
from datetime import UTC, timedelta, timezone
from pathlib import Path
from typing import Any

from ._manifest import Manifest
from ._population import Person
from ._script import Post, Script

GUILD = {"id": "800000000000000001", "name": "Makers Guild"}
EMOJI = {
    "+1": "👍",
    "+1::skin-tone-2": "👍🏻",
    "+1::skin-tone-5": "👍🏾",
    "pray": "🙏",
    "heart": "❤️",
    "raised_hands": "🙌",
    "tada": "🎉",
    "white_check_mark": "✅",
    "joy": "😂",
    "eyes": "👀",
}
FORUM = "questions"
ZONE = timezone(timedelta(hours=2))


def snowflake(number: int) -> str:
    """A Discord id for a script number (people, posts and channels never collide)."""
    return str(900_000_000_000_000_000 + number)


def member_id(person: Person) -> str:
    """The Discord id of a person."""
    return snowflake(person.number * 7919)


def channel_of(name: str) -> str:
    """The Discord id of a channel name."""
    return str(810_000_000_000_000_000 + sum(map(ord, name)))


def _author(person: Person, era: str) -> dict[str, Any]:
    author: dict[str, Any] = {
        "id": member_id(person),
        "name": person.name,
        "discriminator": f"{person.number:04d}",
        "isBot": person.bot,
        "avatarUrl": "https://cdn.discordapp.com/embed/avatars/0.png",
    }
    if era == "new":
        author |= {"nickname": person.display, "color": None, "roles": []}
    return author


def style(post: Post) -> str:
    """How the new era answers this question: inline replies, a thread, or a forum post."""
    return ("reply", "thread", "forum")[post.number % 3]


def linked(reply: "Post") -> bool:
    """Whether the new era shows a reply linked to its question: in the question's thread or
    forum post, or as a Discord reply (the old era links nothing)."""
    root = reply.root
    if root is None:
        return False
    return (root.channel == "help" and style(root) != "reply") or (reply.inline and reply.answers is not None)


class _Writer:
    def __init__(self, script: Script, era: str, manifest: Manifest) -> None:
        self.script, self.era, self.manifest = script, era, manifest
        self.posts = script.by_number()
        self.files: dict[tuple[str, str, str | None], list[dict[str, Any]]] = {}

    def stamp(self, post: Post, at: Any = None) -> str:
        moment = (at or post.at).astimezone(ZONE if self.era == "new" else UTC)
        return str(moment.isoformat(timespec="milliseconds"))

    def place(self, post: Post) -> tuple[str, str, str | None]:
        """(channel name, channel id, thread id) of the file a post goes to."""
        root = self.posts[post.thread_of] if post.thread_of else post
        if self.era == "old" or root.channel != "help" or style(root) == "reply":
            return post.channel, channel_of(post.channel), None
        if style(root) == "forum":
            return FORUM, channel_of(FORUM), snowflake(root.number)
        if post is root:
            return post.channel, channel_of(post.channel), None
        return post.channel, channel_of(post.channel), snowflake(root.number)

    def add(self, post: Post) -> None:
        where = self.place(post)
        messages = self.files.setdefault(where, [])
        if (
            where[2] is not None
            and not messages
            and style(self.posts[post.thread_of or post.number]) == "thread"
        ):
            root = self.posts[post.thread_of or post.number]
            messages.append(self.system(root, "ThreadStarterMessage", root.author))
        messages.append(self.message(post))

    def system(self, post: Post, kind: str, author: Person) -> dict[str, Any]:
        self.manifest.system += 1
        return {"id": snowflake(post.number * 10 + 1), "type": kind, "timestamp": self.stamp(post),
                "content": "", "author": _author(author, self.era), "reactions": []}  # fmt: skip

    def message(self, post: Post) -> dict[str, Any]:
        m = self.manifest
        kind = {"join": "GuildMemberJoin", "system": "ChannelPinnedMessage"}.get(post.kind, "Default")
        text, named = post.text, list(post.mentions)
        where, target = self.place(post), post.answers
        inline = (
            self.era == "new" and post.inline and target is not None and self.place(target)[:2] == where[:2]
        )
        if inline and target is not None and target.author != post.author and target.author not in named:
            named.append(target.author)  # Discord's reply pings the author it replies to
        elif not inline and where[2] is None and (who := post.addressee()) is not None and who not in named:
            text = f"@{who.name} {text}"
            named.append(who)
        message: dict[str, Any] = {
            "id": snowflake(post.number),
            "type": kind,
            "timestamp": self.stamp(post),
            "timestampEdited": self.stamp(post, post.edited_at) if post.edited_at else None,
            "callEndedTimestamp": None,
            "isPinned": False,
            "content": "" if post.kind == "join" else text,
            "author": _author(post.author, self.era),
            "attachments": [],
            "embeds": [],
            "stickers": [],
            "reactions": [],
        }
        if post.kind == "join":
            m.joins += 1
            m.members.add(member_id(post.author))
            return message
        if post.kind == "system":
            m.system += 1
            return message
        if post.kind == "bot":
            m.bots += 1
            if self.era == "new":
                message["type"] = "20"
                message["interaction"] = {"id": snowflake(post.number + 5), "name": "office-hours",
                                          "user": _author(self.script.people[0], self.era)}  # fmt: skip
            return message
        m.messages += 1
        m.members.add(member_id(post.author))
        if self.era == "new":
            message["mentions"] = [_author(p, self.era) for p in named]
            message["inlineEmojis"] = []
            if inline and target is not None:
                message["type"] = "Reply"
                message["reference"] = {"messageId": snowflake(target.number), "channelId": where[2]
                                        or where[1], "guildId": GUILD["id"]}  # fmt: skip
        for name, people in post.reactions.items():
            emoji = {"id": None, "name": EMOJI[name], "code": name.split("::")[0], "isAnimated": False}
            reaction: dict[str, Any] = {"emoji": emoji, "count": len(people)}
            if self.era == "new":
                reaction["users"] = [_author(p, self.era) for p in people]
                m.reactions += sum(not p.bot for p in people)
                m.members.update(member_id(p) for p in people if not p.bot)
            else:
                m.unnamed_reactions += len(people)
            message["reactions"].append(reaction)
        return message

    def save(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        for (name, cid, thread), messages in self.files.items():
            channel: dict[str, Any] = {
                "id": thread or cid,
                "type": "GuildTextChat",
                "name": name,
                "topic": None,
            }
            if thread is not None:
                first = self.posts[int(thread) - int(snowflake(0))]
                channel |= {"type": "GuildPublicThread", "name": first.text[:40]}
            if self.era == "new":
                channel |= {"categoryId": cid if thread else "820000000000000000", "category": "Text"}
                if name == FORUM and thread is None:
                    channel["type"] = "GuildForum"
            export = {"guild": GUILD, "channel": channel, "dateRange": {"after": None, "before": None},
                      "exportedAt": "2026-01-01T00:00:00+00:00", "messages": messages,
                      "messageCount": len(messages)}  # fmt: skip
            category = "Text" if self.era == "new" else name
            label = f"{GUILD['name']} - {category} - {channel['name']} [{thread or cid}]"
            safe = "".join(c if c not in '/\\:*?"<>|' else "_" for c in label)
            (root / f"{safe}.json").write_text(
                json.dumps(export, indent=2, ensure_ascii=False), encoding="utf-8"
            )
            self.manifest.files += 1


def write(script: Script, root: Path, era: str = "new") -> Manifest:
    """Write one JSON file per channel and thread under ``root``; return what they hold."""
    manifest = Manifest(root)
    writer = _Writer(script, era, manifest)
    for post in script.posts:
        writer.add(post)
    writer.save(root)
    if era == "new":
        direct = {"guild": {"id": "0", "name": "Direct Messages"},
                  "channel": {"id": "830000000000000001", "type": "DirectTextChat", "name": "ada"},
                  "messages": [{"id": "830000000000000002", "type": "Default", "content": "hi",
                                "timestamp": "2021-03-02T10:00:00+00:00",
                                "author": _author(script.people[0], era)}]}  # fmt: skip
        (root / "Direct Messages - Private - ada [830000000000000001].json").write_text(json.dumps(direct))
    return manifest
