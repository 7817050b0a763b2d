"""Ladder's platform-neutral use cases, rules and types (no chat platform code here)."""
