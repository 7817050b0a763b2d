"""The application service every adapter calls: commands, buttons, batches of events and the
sweep, each in one transaction whose notices are sent after it commits.

:class:`LadderService` is the one object an adapter holds (built by ``Runtime.service(port)``);
:class:`ServicePort` is the part of it an adapter calls. The dispatcher (``_dispatch``) matches
every command to its capability's use case.
"""

from handlers.service._service import (
    MANAGERS_ONLY,
    InTransaction,
    LadderService,
    RecordingPort,
    ServicePort,
    Undelivered,
)

__all__ = ["MANAGERS_ONLY", "InTransaction", "LadderService", "RecordingPort", "ServicePort", "Undelivered"]
