"""The write path for platform events: live batches (which then tell people) and history
batches (which tell nobody), each recorded once, read by the routing rulebook.
"""

from handlers.ingest._record import clipped, record, record_history

__all__ = ["clipped", "record", "record_history"]
