"""Platform events already handled, so a redelivered event is never recorded twice."""

from sqlmodel import Field, SQLModel


class ProcessedEvent(SQLModel, table=True):
    """The key of a platform event (Slack ``event_id``, Discord message id, export line…)."""

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    event_key: str = Field(max_length=200, primary_key=True)
