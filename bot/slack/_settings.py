"""Checking the Slack settings before anything starts, so a mistake costs one clear line."""

from urllib.parse import urlparse

from bot.settings import Settings


class SlackSettingsError(ValueError):
    """A Slack setting is missing or malformed; ``str(error)`` is one line for the operator."""


def _prefix(token: str) -> str:
    """Show only a token's kind (``xoxp-``), never the secret part."""
    return token.split("-", 1)[0] + "-" if "-" in token else token[:4] + "…"


def check_settings(settings: Settings) -> None:
    """Refuse settings Slack would reject later, saying which one and how to fix it."""
    bot_token = settings.slack_bot_token.strip()
    app_token = settings.slack_app_token.strip()
    if not bot_token:
        raise SlackSettingsError(
            "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) "
            "from the app's OAuth & Permissions page."
        )
    if not bot_token.startswith("xoxb-"):
        raise SlackSettingsError(
            f"SLACK_BOT_TOKEN must be a bot token starting with xoxb- "
            f"(this one starts with {_prefix(bot_token)!r})."
        )
    if app_token and not app_token.startswith("xapp-"):
        raise SlackSettingsError(
            f"SLACK_APP_TOKEN must be an app-level token starting with xapp- "
            f"(this one starts with {_prefix(app_token)!r}); unset it to run in HTTP mode."
        )
    if not app_token and not settings.slack_signing_secret.strip():
        raise SlackSettingsError(
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests "
            "(Basic Information → Signing Secret), or set SLACK_APP_TOKEN for Socket Mode."
        )
    url = urlparse(settings.slack_api_url)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise SlackSettingsError(
            f"SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ "
            f"(got {settings.slack_api_url!r})."
        )


def api_base_url(settings: Settings) -> str:
    """The Web API base URL with the trailing slash slack_sdk's ``urljoin`` needs."""
    url = settings.slack_api_url.strip()
    return url if url.endswith("/") else url + "/"
