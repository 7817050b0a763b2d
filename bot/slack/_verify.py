"""Checking that a request comes from Slack, and logging a forgery as one short line.

Bolt's own check logs a refused request whole at INFO (a forged 900 kB body is 0.9 MB of log,
and a newline in it forges a log line) and answers a non-numeric timestamp with a 500 and a
traceback. :class:`SignedRequests` takes its place in the same spot of Bolt's middleware chain
(before authorization, skipped in Socket Mode, where Slack's WebSocket is the proof): the
signature itself is still checked by slack_sdk's ``SignatureVerifier``. HTTP mode runs the same
check on the raw bytes before Bolt parses them (:mod:`bot.slack._web`).
"""

import logging
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum

from slack_bolt.middleware.request_verification.async_request_verification import (
    AsyncRequestVerification,
)
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)

REPLAY_WINDOW_SECONDS = 5 * 60
TIMESTAMP_DIGITS = 12


class Rejection(StrEnum):
    """Why a request is refused: the only words about it that reach the log."""

    NO_SIGNATURE = "no signature"
    MALFORMED_TIMESTAMP = "malformed timestamp"
    STALE_TIMESTAMP = "stale timestamp"
    BAD_SIGNATURE = "bad signature"


class SignedRequests(AsyncRequestVerification):
    """Bolt's request verification, answering 401 with one log line: the reason and the size."""

    def __init__(self, signing_secret: str, clock: Callable[[], float] = time.time) -> None:
        super().__init__(signing_secret)
        self.clock = clock

    def rejection(self, body: str | bytes, timestamp: str | None, signature: str | None) -> Rejection | None:
        """Why Slack did not send this request, or None when it did."""
        if not timestamp or not signature:
            return Rejection.NO_SIGNATURE
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= TIMESTAMP_DIGITS):
            return Rejection.MALFORMED_TIMESTAMP
        if abs(self.clock() - int(timestamp)) > REPLAY_WINDOW_SECONDS:
            return Rejection.STALE_TIMESTAMP
        if not self.verifier.is_valid(body, timestamp, signature):
            return Rejection.BAD_SIGNATURE
        return None

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],  # Bolt calls it by this name
    ) -> BoltResponse:
        """Pass a request Slack signed; refuse anything else with 401."""
        if self._can_skip(req.mode, req.body):
            return await next()
        timestamp = req.headers.get("x-slack-request-timestamp", [None])[0]
        signature = req.headers.get("x-slack-signature", [None])[0]
        reason = self.rejection(req.raw_body, timestamp, signature)
        if reason is None:
            return await next()
        self.log_rejection(reason, len(req.raw_body.encode("utf-8", errors="replace")))
        return self._build_error_response()

    @staticmethod
    def log_rejection(reason: Rejection, size: int) -> None:
        """One line: why, and how big; nothing the sender wrote."""
        log.warning("rejected a Slack request: %s (%s bytes)", reason, f"{size:,}")
