"""The durable inbox: a platform request is committed here before the platform hears "got it".

Acknowledging is what makes Slack forget a request, so an acknowledgement must mean the request
survives a crash. :meth:`Inbox.accept` writes the request with a group commit — every request
that arrives while one write is in flight rides in the next, one transaction for all of them —
and returns only once that commit is done; the adapter acknowledges after it and processes the
request after that. A request's key (``event:<event_id>``, ``command:<trigger_id>``) is unique,
so a redelivery of a request still held is acknowledged without a second row.

Processing records the request's key in ``processedevent`` in the same transaction as its
effects (the core does that for every event and every receipt of a command), so "done" is atomic
with the work. The row itself is then deleted lazily (:meth:`Inbox.finish`, batched into a later
write): a row a crash left behind is processed again at the next start
(:meth:`Inbox.left_behind`) and skipped by the core if it had already been done.

The in-memory backlog — requests accepted and not yet finished — is bounded: when it is full,
:meth:`Inbox.accept` waits a moment for room and then refuses with :class:`InboxFullError`, so
the adapter answers "try again" and the platform redelivers later, instead of memory growing
without bound.

Where the rows live is :func:`open_inbox`'s choice: the ``inboxitem`` table of a PostgreSQL
database (any replica writes, any resumes), or a SQLite file beside a SQLite database (SQLite has
one writer at a time, and an acknowledgement must not wait for a use case's transaction).
"""

from bot.inbox._intake import Inbox, InboxFullError
from bot.inbox._open import open_inbox
from bot.inbox._stores import DatabaseStore, Held, InboxStore, SqliteFileStore, inbox_path

__all__ = [
    "DatabaseStore",
    "Held",
    "Inbox",
    "InboxFullError",
    "InboxStore",
    "SqliteFileStore",
    "inbox_path",
    "open_inbox",
]
