"""Refusals: a use case stops, its transaction rolls back, and the actor gets one clear reply."""

from handlers.kernel._types import Message


class Refusal(Exception):  # noqa: N818 - a refusal is an answer, not an error
    """Raised inside a use case when the request cannot be done; nothing it wrote is kept."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def message(self) -> Message:
        """The private reply that explains the refusal."""
        return Message(text=self.text)
