"""Full-text indexes kept in step by triggers: FTS5 tables on SQLite, stored tsvector
columns replacing 0003's expression indexes on PostgreSQL (see ``podcasts.fulltext``).

Nothing here is declared on the models, so this migration changes no state."""

from django.db import migrations

from podcasts import fulltext


def install(apps, schema_editor):
    fulltext.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    fulltext.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("podcasts", "0012_images")]

    operations = [migrations.RunPython(install, uninstall)]
