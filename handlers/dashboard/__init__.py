"""The manager dashboard's read models: what every page shows and every export streams.

This module is the contract with the web layer (``bot/web``): each function takes a
:class:`~handlers.scope.Scope` for the signed-in manager's community (its session, the ladder config
and the time) and returns plain frozen rows; nothing here renders HTML or writes to the database.

Isolation: every query is scoped to ``scope.community``; an id from another community gives
None (:func:`member_detail`, :func:`digest_report`) or no row, never another community's data.

Speed: tables are aggregates and index range scans. The Members page sorts and filters on the
totals kept on the member row (``Member.points`` …, kept by ``handlers.ledger.credit``), so a page
of 100,000 members never aggregates the ledger (``python -m bench`` measures it).

Paging: functions that return a :class:`Page` take ``cursor`` (None: the first page) and ``limit``
(1–500); pass ``Page.next_cursor`` / ``Page.previous_cursor`` back to move. ``Page.total`` counts
every matching row and ``Page.first`` / ``Page.last`` give the 1-based positions shown.

Pages and their functions:

- Overview: :func:`overview` (the digest's :class:`~handlers.health.HealthReport` for the period
  ending now, flags included, and :func:`ladder_shape`, members per level week by week).
- Members: :func:`members_page` with a :class:`MemberQuery` (filter by level, status, search by
  name; sort by any :class:`MemberSort` column); each :class:`MemberRow` says what is missing.
- Member page: :func:`member_detail` (ledger, level history, quests, questions).
- Ready & stalled: :func:`ready_for_confirmation`, :func:`stalled_members` (a manager's
  ``/ladder health`` uses the same two functions).
- Questions: :func:`questions_page` (:class:`QuestionView`, :class:`QuestionSort`).
- Calls: :func:`calls_page` (sign-ups, waitlist in order).
- Quest reviews: :func:`quest_reviews` (:class:`ReviewView`).
- Digests: :func:`digests_page`, :func:`digest_report` (an archived period's figures again).
- Audit log: :func:`audit_log`.
- Settings: :func:`settings_in_force`.
- Exports: :func:`export_table` streams any :class:`ExportTable` as CSV or JSON bytes;
  :func:`export_filename` and ``MEDIA_TYPES`` name the download.
- :func:`find_community` reads ``12`` or ``platform:external_id`` (the shell's ``--community``).
"""

from handlers.dashboard._calls import calls_page
from handlers.dashboard._encode import MEDIA_TYPES, ExportFormat, spreadsheet_safe
from handlers.dashboard._export import ExportOptions, ExportTable, export_filename, export_table
from handlers.dashboard._member import MemberDetail, member_detail
from handlers.dashboard._members import MemberQuery, MemberSort, members_page
from handlers.dashboard._names import health_with_names, named_progress
from handlers.dashboard._overview import Overview, find_community, overview
from handlers.dashboard._paging import Page
from handlers.dashboard._progress import (
    ReadyMember,
    StalledMember,
    digest_period,
    ready_for_confirmation,
    stalled_members,
)
from handlers.dashboard._questions import QuestionSort, QuestionView, questions_page
from handlers.dashboard._records import ReviewView, audit_log, digest_report, digests_page, quest_reviews
from handlers.dashboard._rows import (
    CallRow,
    DigestRow,
    LedgerRow,
    LevelChangeRow,
    MemberRow,
    QuestionRow,
    QuestRow,
    ReviewRow,
    Setting,
    SignupRow,
)
from handlers.dashboard._settings import settings_in_force
from handlers.dashboard._shape import LadderShape, WeekShape, ladder_shape

__all__ = [
    "MEDIA_TYPES",
    "CallRow",
    "DigestRow",
    "ExportFormat",
    "ExportOptions",
    "ExportTable",
    "LadderShape",
    "LedgerRow",
    "LevelChangeRow",
    "MemberDetail",
    "MemberQuery",
    "MemberRow",
    "MemberSort",
    "Overview",
    "Page",
    "QuestRow",
    "QuestionRow",
    "QuestionSort",
    "QuestionView",
    "ReadyMember",
    "ReviewRow",
    "ReviewView",
    "Setting",
    "SignupRow",
    "StalledMember",
    "WeekShape",
    "audit_log",
    "calls_page",
    "digest_period",
    "digest_report",
    "digests_page",
    "export_filename",
    "export_table",
    "find_community",
    "health_with_names",
    "ladder_shape",
    "member_detail",
    "members_page",
    "named_progress",
    "overview",
    "quest_reviews",
    "questions_page",
    "ready_for_confirmation",
    "settings_in_force",
    "spreadsheet_safe",
    "stalled_members",
]
