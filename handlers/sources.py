"""Every key format Ladder writes, in one place, so live events and imported history agree.

A platform event's key names *what* happened (this message, this reaction by this member), not
*how* it was delivered, so the same message seen live and again in an export is recorded once.
"""

import unicodedata

_SKIN_TONES = frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))
_VARIATION_SELECTORS = frozenset({"\ufe0e", "\ufe0f"})


def normalise_emoji(name: str) -> str:
    """One spelling per reaction: Slack's ``+1::skin-tone-3`` → ``+1``, ``👍🏽`` → ``👍``, ``❤️`` → ``❤``.

    Skin tones and emoji/text variation selectors do not change what a reaction means.
    """
    name = unicodedata.normalize("NFC", name.strip().strip(":")).split("::", 1)[0]
    return "".join(ch for ch in name if ch not in _SKIN_TONES and ch not in _VARIATION_SELECTORS)


def message_key(platform: str, channel_id: str, message_id: str) -> str:
    """A message's key: Slack's ``ts`` is unique per channel, Discord's id everywhere."""
    if platform == "slack":
        return f"slack:{channel_id}:{message_id}"
    return message_id


def reaction_key(platform: str, channel_id: str, message_id: str, member_id: str, emoji: str) -> str:
    """A member's reaction to a message: once, however often it is removed and added again."""
    return f"{message_key(platform, channel_id, message_id)}:{member_id}:{normalise_emoji(emoji)}"
