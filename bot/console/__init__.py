"""The console adapter: several simulated members act from stdin or a script, for local use."""

from bot.console._adapter import ConsoleAdapter, serve

__all__ = ["ConsoleAdapter", "serve"]
