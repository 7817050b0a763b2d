"""The console adapter: several simulated members act from stdin or a script, for local use."""

from bot.console._adapter import ConsoleAdapter, serve
from bot.console._render import render, wrap

__all__ = ["ConsoleAdapter", "render", "serve", "wrap"]
