"""Platform events already handled, and one-off flags: each recorded once per community."""

from sqlmodel import Field, SQLModel


class ProcessedEvent(SQLModel, table=True):
    """The key of a platform event (Slack ``event_id``, Discord message id, export line…).

    Also the receipt of an acknowledged command or click, so a redelivered request is not run
    twice. Nothing else lives here: import markers are :class:`~models.imports.ImportedFile`
    rows and one-off warnings are :class:`OnceFlag` rows.
    """

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    event_key: str = Field(max_length=200, primary_key=True)


class OnceFlag(SQLModel, table=True):
    """Something done once per community: a warning given, a "ready to promote" DM sent."""

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    key: str = Field(max_length=200, primary_key=True)
