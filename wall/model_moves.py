"""For the migrations that move a model out of the wall into its own app, keeping its table."""

from django.db import migrations


def move_content_types(to_app, models, from_app="wall"):
    """A RunPython operation: from_app.<model> becomes to_app.<model>, with the permissions groups
    and users hold on it (Wagtail's settings and viewsets check those), for each of models.

    A plain upgrade finds only from_app's content types (Django adds the new app's after
    migrating). Where the new app's exist already (a migrate cut short after its post-migrate
    step), holders of the old permissions are given the new equivalents and the old types go.
    """

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        for model in models:
            old = ContentType.objects.filter(app_label=from_app, model=model).first()
            new = ContentType.objects.filter(app_label=to_app, model=model).first()
            if old is None:
                continue
            if new is None:
                old.app_label = to_app
                old.save(update_fields=["app_label"])
                continue
            for permission in Permission.objects.filter(content_type=old):
                replacement, _created = Permission.objects.get_or_create(
                    content_type=new, codename=permission.codename, defaults={"name": permission.name}
                )
                replacement.group_set.add(*permission.group_set.all())
                replacement.user_set.add(*permission.user_set.all())
            old.delete()

    return migrations.RunPython(move, migrations.RunPython.noop)
