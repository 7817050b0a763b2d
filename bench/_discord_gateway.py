"""The Discord benchmark's fake Discord, in a process of its own, as Discord is to a real client.

It serves ``tests/discord/fake_discord.py`` (REST and gateway) on loopback, prints its URLs as
one JSON line, then for each line ``[first, count]`` read on stdin sends the gateway events of
conversations ``first`` to ``first + count - 1`` as fast as it can and answers with one JSON line
(``sent_s``, ``events``). The conversations are built before the clock starts. It stops at the
end of stdin.

In the benchmark's own process the fake's work (encoding each event, serving each DM) was counted
against the client and shared its event loop; here it runs beside it, as Discord does.
"""

import asyncio
import copy
import json
import sys
import time
from typing import Any

from tests.discord.fake_discord import CHANNELS, USERS, FakeDiscord, now_iso, payload

PEOPLE = ("mara", "cleo", "alice", "bob", "carol")
GATEWAY_EVENTS_PER_CONVERSATION = 5
RECORDED_PER_CONVERSATION = 4


def conversation(
    fake: FakeDiscord, n: int, templates: dict[str, dict[str, Any]]
) -> list[tuple[str, dict[str, Any]]]:
    """One conversation's gateway dispatches: a question in #help, the thread opened on it, a
    reply in the thread, the asker's ✅ on the reply and the asker's thanks."""
    asker, helper = PEOPLE[n % len(PEOPLE)], PEOPLE[(n + 1) % len(PEOPLE)]
    question_id, reply_id, thanks_id = fake.next_id(), fake.next_id(), fake.next_id()

    def message(message_id: str, who: str, channel_id: str, content: str) -> dict[str, Any]:
        data = copy.deepcopy(templates["message_create"])
        data.update(
            id=message_id, channel_id=channel_id, author=USERS[who], content=content, timestamp=now_iso()
        )
        data["member"]["roles"] = []
        return data

    thread = copy.deepcopy(templates["thread_create"])
    thread.update(id=question_id, parent_id=CHANNELS["help"], name=f"widget {n}")
    thread.pop("member", None)
    reaction = copy.deepcopy(templates["message_reaction_add"])
    reaction.update(user_id=USERS[asker]["id"], message_id=reply_id, channel_id=question_id)
    reaction["emoji"]["name"] = "✅"
    reaction["member"].update(user=USERS[asker], roles=[])
    return [
        (
            "MESSAGE_CREATE",
            message(question_id, asker, CHANNELS["help"], f"How do I configure the widget {n}?"),
        ),
        ("THREAD_CREATE", thread),
        ("MESSAGE_CREATE", message(reply_id, helper, question_id, "Reset the widget cache, then retry.")),
        ("MESSAGE_REACTION_ADD", reaction),
        ("MESSAGE_CREATE", message(thanks_id, asker, question_id, f"thanks <@{USERS[helper]['id']}>!")),
    ]


async def serve() -> None:
    """Serve the fake and send conversations on request until stdin ends."""
    fake = FakeDiscord()
    await fake.start()
    print(json.dumps({"api": fake.api_url, "gateway": fake.gateway_url}), flush=True)
    templates = {name: payload(name) for name in ("message_create", "thread_create", "message_reaction_add")}
    while line := await asyncio.to_thread(sys.stdin.readline):
        first, count = json.loads(line)
        dispatches = [d for n in range(first, first + count) for d in conversation(fake, n, templates)]
        began = time.perf_counter()
        for event, data in dispatches:
            await fake.dispatch(event, data)
        print(json.dumps({"sent_s": time.perf_counter() - began, "events": len(dispatches)}), flush=True)
    await fake.close()


if __name__ == "__main__":
    asyncio.run(serve())
