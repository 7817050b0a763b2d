"""The managers' web dashboard: server-rendered pages, sign-in by one-time link, exports.

``build_dashboard`` makes the aiohttp application for one service; ``mount_dashboard`` serves it
under ``/dashboard/`` on the app that already answers ``/healthz`` and ``/metrics`` (Slack's HTTP
mode) or on the standalone server every other platform starts.
"""

from bot.web._app import build_dashboard, mount_dashboard
from bot.web._shell import NoLinkError, shell_link
from bot.web._standalone import serve_community

__all__ = ["NoLinkError", "build_dashboard", "mount_dashboard", "serve_community", "shell_link"]
