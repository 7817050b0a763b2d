"""Is Slack's Web API answering Ladder? The outcome of recent calls, for ``/healthz``.

Every Web API call (Ladder's and Bolt's own ``auth.test``) is recorded as it returns. An answer
about the request itself (``channel_not_found``, ``missing_scope``, a rate limit) shows Slack is
reachable; a refused token, a server error or no answer shows it is not. When the last outcome
is a failure or is older than a minute, the health check asks ``auth.test`` itself (bounded by a
short timeout), so health follows Slack even while nobody uses Ladder, and recovers with it.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

log = logging.getLogger(__name__)

FRESH_SECONDS = 60.0
PROBE_TIMEOUT_SECONDS = 3.0
UNUSABLE = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "team_disabled",
        "org_login_required",
        "fatal_error",
        "internal_error",
        "service_unavailable",
        "request_timeout",
    }
)


@dataclass(frozen=True)
class Outcome:
    """How the last Web API call ended."""

    reachable: bool
    detail: str
    at: float


def _unreachable_because(error: Exception) -> str | None:
    """Why a failed call shows Slack unreachable, or None when Slack answered about the request."""
    if isinstance(error, SlackApiError):
        response = error.response
        status = getattr(response, "status_code", 200)
        code = str(response.get("error") or "") if response is not None else ""
        if status >= 500 or code in UNUSABLE:
            return code or f"HTTP {status}"
        return None
    return type(error).__name__


class TrackedWebClient(AsyncWebClient):
    """``AsyncWebClient`` that remembers how its last call ended (see the module docstring)."""

    def __init__(self, *args: Any, clock: Callable[[], float] = time.monotonic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clock = clock
        self.last: Outcome | None = None
        self._probing = asyncio.Lock()

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:
        """Make the call and record whether Slack answered."""
        try:
            response = await super().api_call(api_method, **kwargs)
        except Exception as error:  # recorded and re-raised untouched: callers handle their own
            reason = _unreachable_because(error)
            self._record(reason is None, f"{api_method}: {reason}" if reason else api_method)
            raise
        self._record(True, api_method)
        return response

    def _record(self, reachable: bool, detail: str) -> None:
        if not reachable and (self.last is None or self.last.reachable):
            log.warning("Slack's Web API is unreachable: %s", detail)
        elif reachable and self.last is not None and not self.last.reachable:
            log.warning("Slack's Web API answers again (%s)", detail)
        self.last = Outcome(reachable, detail, self.clock())

    async def reachable(self) -> bool:
        """Whether Slack answers: the last call's outcome, re-checked with ``auth.test`` when that
        outcome is a failure or stale."""
        last = self.last
        if last is None or not last.reachable or self.clock() - last.at > FRESH_SECONDS:
            await self._probe()
        return self.last is not None and self.last.reachable

    async def _probe(self) -> None:
        if self._probing.locked():  # a probe is under way: its outcome is the answer
            async with self._probing:
                return
        async with self._probing:
            try:
                async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
                    await self.auth_test()
            except TimeoutError:
                self._record(False, "auth.test: no answer within 3 s")
            except Exception:  # noqa: BLE001 - the failure is already recorded by api_call
                return
