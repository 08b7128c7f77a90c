"""The full-text indexes follow every write, whichever way it comes (triggers in the
database): model saves, QuerySet.update/delete/bulk_create, files.bulk's INSERTs and COPY,
imports; SQLite gets its triggers back after a migration rebuilt a table; PostgreSQL's
planner statistics are refreshed after imports."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from podcasts import fulltext
from podcasts.files import bulk, importing, uploads
from podcasts.models import Episode, TranscriptLine
from podcasts.public.search import search

from .factories import published

pytestmark = pytest.mark.django_db


def slugs(query: str) -> list[str]:
    return [result.episode.slug for result in search(query)]


@pytest.fixture
def episode():
    return published("lakes", title="Data lakes", transcript=[{"line": "We talk about lakehouses."}, {"line": "And more."}])


def test_transcript_update_through_the_queryset(episode):
    TranscriptLine.objects.filter(episode=episode, position=0).update(text="We talk about warehouses.")
    assert slugs("warehouses") == ["lakes"]
    assert slugs("lakehouses") == []
    assert "<mark>warehouses</mark>" in search("warehouses")[0].snippet


def test_moving_lines_keeps_them_found(episode):
    TranscriptLine.objects.filter(episode=episode).update(position=F("position") + 100)
    assert search("lakehouses")[0].position == 100


def test_bulk_create_and_delete(episode):
    TranscriptLine.objects.bulk_create([TranscriptLine(episode=episode, position=5, text="Iceberg tables.")])
    assert slugs("iceberg") == ["lakes"]
    TranscriptLine.objects.filter(text__startswith="Iceberg").delete()
    assert slugs("iceberg") == []


def test_bulk_insert_rows_of_imports(episode):
    bulk.insert_rows(TranscriptLine, ("episode", "position", "kind", "text"), [(episode.pk, 7, "line", "Parquet files.")])
    assert slugs("parquet") == ["lakes"]


def test_episode_fields_update_and_delete(episode):
    Episode.objects.filter(pk=episode.pk).update(title="Ponds", description="Small streams.", intro="Rivers <br> too.")
    assert slugs("ponds") == slugs("stream") == slugs("rivers") == ["lakes"]
    assert slugs("lakes") == []
    episode.refresh_from_db()
    episode.title = "Oceans"
    episode.save()
    assert slugs("oceans") == ["lakes"] and slugs("ponds") == []
    Episode.objects.filter(pk=episode.pk).delete()  # its lines go with it
    assert slugs("oceans") == slugs("lakehouses") == []


def test_import_and_reimport_of_a_file(write_file):
    path = write_file("imported.md", "---\ntitle: Graphs\ntranscript:\n- line: Neo4j and friends.\n---\n")
    importing.import_paths(importing.EPISODES, [path], publish=True)
    assert slugs("neo4j") == ["imported"]
    path.write_text("---\ntitle: Graphs\ntranscript:\n- line: Gremlin and friends.\n---\n")
    importing.import_paths(importing.EPISODES, [path])
    assert slugs("gremlin") == ["imported"] and slugs("neo4j") == []


def test_statistics_are_refreshed_after_imports_that_write(write_file, monkeypatch):
    runs = []
    monkeypatch.setattr(fulltext, "update_statistics", lambda: runs.append(True))
    path = write_file("stats.md", "---\ntitle: Statistics\n---\n")
    importing.import_paths(importing.EPISODES, [path], dry_run=True)
    assert runs == []
    importing.import_paths(importing.EPISODES, [path])
    assert runs == [True]
    importing.import_paths(importing.EPISODES, [path])  # unchanged: nothing to learn
    assert runs == [True]
    uploads.update_search_statistics([importing.FileResult("x.md", importing.UPDATED)])
    assert runs == [True, True]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's")
def test_analyze_runs_on_postgresql(episode):
    fulltext.update_statistics()  # inside the test's transaction, as in an import's: no error
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'podcasts_transcriptline'")
        assert cursor.fetchone()[0] > 0


def sqlite_triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_fts_%'")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite rebuilds a table to alter it")
def test_migrate_restores_triggers_a_table_rebuild_dropped(episode):
    installed = sqlite_triggers()
    assert len(installed) == 6
    with connection.cursor() as cursor:  # what dropping the old copy of a rebuilt table does to them
        for name in installed:
            cursor.execute(f"DROP TRIGGER {name}")
    TranscriptLine.objects.filter(episode=episode, position=0).update(text="Written without a trigger.")
    call_command("migrate", verbosity=0)
    assert sqlite_triggers() == installed
    assert slugs("trigger") == ["lakes"] and slugs("lakehouses") == []  # and the index was rebuilt
    with connection.cursor() as cursor:  # FTS5's own consistency check of an external-content index
        cursor.execute(f"INSERT INTO {fulltext.LINES.fts}({fulltext.LINES.fts}, rank) VALUES ('integrity-check', 1)")
