"""The write path for platform events: live batches (which then tell people) and history
batches (which tell nobody), each recorded once, read by the routing rulebook.
"""

from handlers.ingest._record import record

__all__ = ["record"]
