"""Editors import, edit and export; Publishers may also publish and unpublish."""

from django.db import migrations

EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("episode", "guest", "episodeguest", "platformid", "link", "quotableclip", "transcriptline", "speakeralias")
    for action in ("add", "change", "delete", "view")
] + ["view_revision", "add_revision", "view_show"]
PUBLISHER_PERMISSIONS = EDITOR_PERMISSIONS + ["publish_episode", "change_show"]


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the groups need them now.
    # The historical app config lacks models_module, which create_permissions checks.
    app_config = apps.get_app_config("podcasts")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITOR_PERMISSIONS), ("Publishers", PUBLISHER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(Permission.objects.filter(content_type__app_label="podcasts", codename__in=codenames))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("podcasts", "0003_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
