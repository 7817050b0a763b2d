"""``python -m bench``: Ladder's performance figures (speed is measured here and nowhere else)."""
