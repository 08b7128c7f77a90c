"""The full-text indexes behind the public search (``podcasts.public.search``), kept in
step with the text by triggers in the database.

Triggers see every write, whichever way it comes: a model save,
``QuerySet.update``/``delete``/``bulk_create``, the multi-row INSERTs and the COPY of
``files.bulk``, raw SQL. Migration ``0013_fulltext`` installs them; nothing here is
declared on the models, so the migration state knows nothing of it.

**SQLite**: two FTS5 tables with external content (they hold the index, not the
text): one over transcript lines' ``text``, one over episodes' ``title``,
``description`` and ``intro``, with AFTER INSERT/UPDATE/DELETE triggers. To alter a
table, Django's SQLite schema editor copies it into a new one and drops the old, and
the drop takes the triggers with it, so ``install`` also runs after every
``migrate`` (``apps.py``): it recreates whatever is missing and rebuilds the index.

**PostgreSQL**: a stored ``search_document`` tsvector column on both tables, filled
by a BEFORE INSERT/UPDATE trigger, with a GIN index. It replaces the GIN indexes over
``to_tsvector`` expressions of migration ``0003``: with those, ranking recomputed
``to_tsvector`` for every matching row (a common word, thousands of lines, took
seconds), and the planner, which costs that function as cheap, scanned every episode's
intro instead of using the index. ``update_statistics`` runs ``ANALYZE`` after bulk
imports: before it, the planner guessed that every line matched.
"""

from django.db import connection as default_connection

CONFIG = "english"
# SQLite: Porter stemming over Unicode words, as PostgreSQL's "english" configuration stems
# ("streaming" finds "streams"), accents ignored.
TOKENIZE = "porter unicode61 remove_diacritics 2"
DOCUMENT = "search_document"  # the PostgreSQL column


class SearchedTable:
    """The text columns of one table that search reads, and their index on either database."""

    def __init__(self, table: str, columns: tuple[str, ...], document: str):
        self.table, self.columns = table, columns
        self.fts = f"{table}_fts"  # SQLite's FTS5 table
        self.document = document  # PostgreSQL's tsvector of the row, over NEW.<column>s

    # SQLite

    def sqlite_triggers(self) -> dict[str, str]:
        columns = ", ".join(self.columns)
        new = ", ".join(f"new.{column}" for column in self.columns)
        old = ", ".join(f"old.{column}" for column in self.columns)
        insert = f"INSERT INTO {self.fts}(rowid, {columns}) VALUES (new.id, {new});"
        # External content: the index forgets a row by being told the values it indexed.
        delete = f"INSERT INTO {self.fts}({self.fts}, rowid, {columns}) VALUES ('delete', old.id, {old});"
        return {
            f"{self.fts}_insert": f"AFTER INSERT ON {self.table} BEGIN {insert} END",
            f"{self.fts}_delete": f"AFTER DELETE ON {self.table} BEGIN {delete} END",
            # Only when the text changes: moving lines (their position) costs the index nothing.
            f"{self.fts}_update": f"AFTER UPDATE OF {columns} ON {self.table} BEGIN {delete} {insert} END",
        }

    def install_sqlite(self, cursor) -> bool:
        """Create what is missing of the FTS table and its triggers; True when anything was."""
        cursor.execute("SELECT name FROM sqlite_master")
        existing = {name for (name,) in cursor.fetchall()}
        missing = [name for name in (self.fts, *self.sqlite_triggers()) if name not in existing]
        if self.fts in missing:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {self.fts} USING fts5({', '.join(self.columns)}, "
                f"content='{self.table}', content_rowid='id', tokenize='{TOKENIZE}')"
            )
        for name, body in self.sqlite_triggers().items():
            if name in missing:
                cursor.execute(f"CREATE TRIGGER {name} {body}")
        if missing:  # rows may have been written while a trigger was missing
            cursor.execute(f"INSERT INTO {self.fts}({self.fts}) VALUES ('rebuild')")
        return bool(missing)

    def uninstall_sqlite(self, cursor) -> None:
        for name in self.sqlite_triggers():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {self.fts}")

    # PostgreSQL

    def install_postgresql(self, cursor) -> None:
        function = f"{self.table}_{DOCUMENT}"
        # Idempotent, as the SQLite side is: a database migrated under another number of this migration.
        cursor.execute(f"ALTER TABLE {self.table} ADD COLUMN IF NOT EXISTS {DOCUMENT} tsvector")
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN NEW.{DOCUMENT} := {self.document}; RETURN NEW; END $$"
        )
        cursor.execute(f"DROP TRIGGER IF EXISTS {function} ON {self.table}")
        cursor.execute(
            f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {', '.join(self.columns)} "
            f"ON {self.table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        first = self.columns[0]
        cursor.execute(f"UPDATE {self.table} SET {first} = {first}")  # the trigger fills the existing rows
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {self.table}_document_gin ON {self.table} USING gin ({DOCUMENT})")

    def uninstall_postgresql(self, cursor) -> None:
        function = f"{self.table}_{DOCUMENT}"
        cursor.execute(f"DROP TRIGGER IF EXISTS {function} ON {self.table}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        cursor.execute(f"ALTER TABLE {self.table} DROP COLUMN IF EXISTS {DOCUMENT}")  # and its index


LINES = SearchedTable("podcasts_transcriptline", ("text",), f"to_tsvector('{CONFIG}', COALESCE(NEW.text, ''))")
EPISODES = SearchedTable(
    "podcasts_episode",
    ("title", "description", "intro"),
    # The title weighs more in the rank (A) than the description and intro (B).
    f"setweight(to_tsvector('{CONFIG}', COALESCE(NEW.title, '')), 'A') || "
    f"setweight(to_tsvector('{CONFIG}', COALESCE(NEW.description, '') || ' ' || COALESCE(NEW.intro, '')), 'B')",
)
TABLES = (LINES, EPISODES)

# Migration 0003's expression indexes, which the stored documents replace (and the reverse restores).
EXPRESSION_INDEXES = {
    "transcriptline_search_gin": (
        "podcasts_transcriptline USING gin (to_tsvector('english'::regconfig, COALESCE(text, ''::text)))"
    ),
    "episode_search_gin": (
        "podcasts_episode USING gin (to_tsvector('english'::regconfig, "
        "(((COALESCE(title, ''::character varying)::text || ' '::text) || COALESCE(description, ''::text)) "
        "|| ' '::text) || COALESCE(intro, ''::text)))"
    ),
}


def install(connection=default_connection) -> None:
    """Migration 0013 forwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in TABLES:
                table.install_sqlite(cursor)
        elif connection.vendor == "postgresql":
            for name in EXPRESSION_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
            for table in TABLES:
                table.install_postgresql(cursor)


def uninstall(connection=default_connection) -> None:
    """Migration 0013 backwards."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in TABLES:
                table.uninstall_sqlite(cursor)
        elif connection.vendor == "postgresql":
            for table in TABLES:
                table.uninstall_postgresql(cursor)
            for name, definition in EXPRESSION_INDEXES.items():
                cursor.execute(f"CREATE INDEX {name} ON {definition}")


def repair_sqlite(connection=default_connection) -> None:
    """After ``migrate``: put back the triggers a rebuilt table lost (SQLite only)."""
    if connection.vendor == "sqlite" and _has_fts(connection):
        with connection.cursor() as cursor:
            for table in TABLES:
                table.install_sqlite(cursor)


def _has_fts(connection) -> bool:
    """Whether migration 0010 has run (not before it, nor after it was reversed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [LINES.fts])
        return cursor.fetchone() is not None


def update_statistics(connection=default_connection) -> None:
    """After many rows were written: PostgreSQL's planner learns at once, not at
    autovacuum's leisure, how many rows each word matches."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE podcasts_episode, podcasts_transcriptline")
