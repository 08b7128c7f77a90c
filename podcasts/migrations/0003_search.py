"""GIN indexes for the public search (podcasts/search.py), on PostgreSQL only.

The indexes are built from the very expressions the search queries use, so the
planner matches them. They are not declared on the models (an expression over
a PostgreSQL function would break SQLite), so this migration changes no state.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "english"  # podcasts.search.CONFIG, repeated: migrations must not change when app code does
INDEXES = {
    "Episode": GinIndex(SearchVector("title", "description", "intro", config=CONFIG), name="episode_search_gin"),
    "TranscriptLine": GinIndex(SearchVector("text", config=CONFIG), name="transcriptline_search_gin"),
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model_name, index in INDEXES.items():
            schema_editor.add_index(apps.get_model("podcasts", model_name), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for model_name, index in INDEXES.items():
            schema_editor.remove_index(apps.get_model("podcasts", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("podcasts", "0002_show_aliases_revisions")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]
