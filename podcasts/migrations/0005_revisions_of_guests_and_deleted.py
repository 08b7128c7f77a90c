"""Revisions also record guests, and survive the deletion of what they record."""

import django.db.models.deletion
from django.db import migrations, models


def name_files(apps, schema_editor):
    Revision = apps.get_model("podcasts", "Revision")
    for revision in Revision.objects.select_related("episode").filter(file_name=""):
        revision.file_name = f"{revision.episode.slug}.md"
        revision.save(update_fields=["file_name"])


class Migration(migrations.Migration):
    dependencies = [("podcasts", "0004_editorial_groups")]

    operations = [
        migrations.AddField(
            model_name="revision",
            name="file_name",
            field=models.CharField(default="", help_text="The file this text is, e.g. <slug>.md.", max_length=220),
            preserve_default=False,
        ),
        migrations.RunPython(name_files, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="revision",
            name="episode",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="revisions",
                to="podcasts.episode",
            ),
        ),
        migrations.AddField(
            model_name="revision",
            name="guest",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="revisions",
                to="podcasts.guest",
            ),
        ),
        migrations.AlterField(
            model_name="revision",
            name="text",
            field=models.TextField(help_text="The file as an export would write it."),
        ),
        migrations.AddIndex(
            model_name="revision",
            index=models.Index(fields=["guest", "-created_at"], name="podcasts_re_guest_i_6ea5aa_idx"),
        ),
        migrations.AddConstraint(
            model_name="revision",
            constraint=models.CheckConstraint(
                condition=models.Q(("episode__isnull", True), ("guest__isnull", True), _connector="OR"),
                name="revision_of_one_thing",
            ),
        ),
    ]
