"""The benchmarks' export: a Slack workspace export of any size, from the test generator.

One generator (``tests/exportgen``) writes every export the tests and the benchmarks read, so the
benchmark replays the same messy history the tests check: threads, reactions, thanks, bots, joins.
"""

from pathlib import Path

from tests.exportgen import write

# The 2018 era (threads, reactions, no ``blocks``/``user_profile`` copies in every message) keeps
# the bytes per message of the figures earlier rounds measured, so they stay comparable.
# Chatter per question (on average), so about one message in ten is a question (as in real
# workspaces, and as this benchmark has always measured), and the messages a conversation then
# holds (its question, replies and thanks, about three, and the chatter).
CHATTER = 9
MESSAGES_PER_CONVERSATION = 12


def generate(root: Path, messages: int, *, members: int, channels: int) -> int:
    """Write an export of about ``messages`` messages; return how many it wrote."""
    conversations = max(1, messages // MESSAGES_PER_CONVERSATION)
    manifest = write(
        "slack-2018", root, conversations=conversations, members=members, channels=channels, chatter=CHATTER
    )
    return int(manifest.messages)
