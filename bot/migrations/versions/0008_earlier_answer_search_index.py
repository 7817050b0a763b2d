"""earlier-answer search: a full-text index over every solved question

The earlier-answer search used to score the last 5,000 solved questions in Python, so an older
answer was never found. It now asks the database's own full-text index, which holds the stemmed
``terms`` of every solved question that has an accepted answer (and nothing else):

- SQLite: a contentless FTS5 table ``question_search``. Each document is the question's terms,
  each prefixed with its community id (``12_rebas``), so the index's own document counts
  (``question_search_terms``, fts5vocab) are per community; ``question_search_size`` counts each
  community's indexed questions (counting them at each search would read them all). Triggers on ``question``
  keep it in step with every write (live questions, history import and replay, forget-me), in
  the same transaction, whichever code path writes: the write paths need no change.
- PostgreSQL: a partial GIN index over a ``tsvector`` of the terms (the stored terms as they are,
  already stemmed, so both engines match the same words), which PostgreSQL keeps in step itself,
  and the same ``question_search_size`` counts, kept by a trigger function.

Existing solved questions are indexed here. Note for later migrations on SQLite: a batch
``alter_table`` of ``question`` re-creates the table and drops these triggers; re-create them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 18:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXED = "{r}.status = 'solved' AND {r}.accepted_answer_id IS NOT NULL AND {r}.terms <> ''"
DOCUMENT = "{r}.community_id || '_' || replace({r}.terms, ' ', ' ' || {r}.community_id || '_')"
CHANGED = (
    "old.terms IS NOT new.terms OR old.status IS NOT new.status "
    "OR old.accepted_answer_id IS NOT new.accepted_answer_id OR old.community_id IS NOT new.community_id"
)
ADD = (
    "INSERT INTO question_search (rowid, terms) SELECT {r}.id, " + DOCUMENT + " WHERE " + INDEXED + "; "
    "INSERT INTO question_search_size (community_id, documents) SELECT {r}.community_id, 1 WHERE "
    + INDEXED
    + " ON CONFLICT (community_id) DO UPDATE SET documents = documents + 1;"
)
REMOVE = (
    "INSERT INTO question_search (question_search, rowid, terms) SELECT 'delete', {r}.id, "
    + DOCUMENT
    + " WHERE "
    + INDEXED
    + "; UPDATE question_search_size SET documents = documents - 1 "
    "WHERE community_id = {r}.community_id AND " + INDEXED + ";"
)
SIZE_TABLE = (
    "CREATE TABLE question_search_size (community_id INTEGER PRIMARY KEY, documents INTEGER NOT NULL)"
)
SIZE_FILL = (
    "INSERT INTO question_search_size (community_id, documents) SELECT community_id, count(*) FROM question "
    "WHERE " + INDEXED.format(r="question") + " GROUP BY community_id"
)
SQLITE_UP = [
    "CREATE VIRTUAL TABLE question_search USING fts5(terms, content='', tokenize=\"ascii tokenchars '_+#'\")",
    "CREATE VIRTUAL TABLE question_search_terms USING fts5vocab(question_search, 'row')",
    SIZE_TABLE,
    SIZE_FILL,
    "INSERT INTO question_search (rowid, terms) SELECT id, "
    + DOCUMENT.format(r="question")
    + " FROM question WHERE "
    + INDEXED.format(r="question"),
    "CREATE TRIGGER question_search_insert AFTER INSERT ON question BEGIN " + ADD.format(r="new") + " END",
    f"CREATE TRIGGER question_search_update AFTER UPDATE ON question WHEN {CHANGED} BEGIN "
    + REMOVE.format(r="old")
    + " "
    + ADD.format(r="new")
    + " END",
    "CREATE TRIGGER question_search_delete AFTER DELETE ON question BEGIN " + REMOVE.format(r="old") + " END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS question_search_delete",
    "DROP TRIGGER IF EXISTS question_search_update",
    "DROP TRIGGER IF EXISTS question_search_insert",
    "DROP TABLE IF EXISTS question_search_size",
    "DROP TABLE IF EXISTS question_search_terms",
    "DROP TABLE IF EXISTS question_search",
]
POSTGRES_UP = [
    "CREATE INDEX ix_question_search ON question "
    "USING gin (array_to_tsvector(array_remove(string_to_array(terms, ' '), ''))) "
    "WHERE status = 'solved' AND accepted_answer_id IS NOT NULL AND terms <> ''",
    SIZE_TABLE,
    SIZE_FILL,
    "CREATE FUNCTION question_search_size() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP <> 'INSERT' AND " + INDEXED.format(r="OLD") + " THEN "
    "UPDATE question_search_size SET documents = documents - 1 WHERE community_id = OLD.community_id; "
    "END IF; "
    "IF TG_OP <> 'DELETE' AND " + INDEXED.format(r="NEW") + " THEN "
    "INSERT INTO question_search_size (community_id, documents) VALUES (NEW.community_id, 1) "
    "ON CONFLICT (community_id) DO UPDATE SET documents = question_search_size.documents + 1; "
    "END IF; RETURN NULL; END $$",
    "CREATE TRIGGER question_search_insert AFTER INSERT ON question "
    "FOR EACH ROW EXECUTE FUNCTION question_search_size()",
    "CREATE TRIGGER question_search_update AFTER UPDATE ON question FOR EACH ROW WHEN ("
    + CHANGED.replace("IS NOT", "IS DISTINCT FROM").replace("old.", "OLD.").replace("new.", "NEW.")
    + ") EXECUTE FUNCTION question_search_size()",
    "CREATE TRIGGER question_search_delete AFTER DELETE ON question "
    "FOR EACH ROW EXECUTE FUNCTION question_search_size()",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS question_search_delete ON question",
    "DROP TRIGGER IF EXISTS question_search_update ON question",
    "DROP TRIGGER IF EXISTS question_search_insert ON question",
    "DROP FUNCTION IF EXISTS question_search_size()",
    "DROP TABLE IF EXISTS question_search_size",
    "DROP INDEX IF EXISTS ix_question_search",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UP if sqlite else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else POSTGRES_DOWN:
        op.execute(statement)
