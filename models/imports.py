"""Export files already imported, so a re-import skips them and an interrupted import resumes."""

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from models.types import UTCDateTime, utcnow

NAME_LENGTH = 500


class ImportedFile(SQLModel, table=True):
    """One export file committed by an import: which export format, its bytes' digest, its path.

    The same path with other bytes (a re-exported day with more messages) is another file; the
    same bytes under another path are too (two empty days read the same).
    """

    community_id: int = Field(foreign_key="community.id", primary_key=True)
    source: str = Field(max_length=16, primary_key=True)
    digest: str = Field(max_length=40, primary_key=True)
    name: str = Field(max_length=NAME_LENGTH, primary_key=True)
    imported_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
