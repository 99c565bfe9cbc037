"""For the migrations that move a model out of the wall into another app, keeping its table."""

from django.db import migrations


def move_content_types(to_app, models, from_app="wall"):
    """A RunPython operation: from_app.<model>'s content type becomes to_app.<model>, for each of models.

    Renaming the content type keeps everything that points at it: the permissions groups and users
    hold (Wagtail's settings and viewsets check those), the audit trail, the reference index.
    A plain upgrade finds only from_app's content types (Django adds the new app's after
    migrating). Where the new app's exist already (a migrate cut short after its post-migrate
    step), holders of their permissions get the old equivalents and the new, empty types go first.
    """

    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        for model in models:
            old = ContentType.objects.filter(app_label=from_app, model=model).first()
            if old is None:
                continue
            new = ContentType.objects.filter(app_label=to_app, model=model).first()
            if new is not None:
                for permission in Permission.objects.filter(content_type=new):
                    kept, _created = Permission.objects.get_or_create(
                        content_type=old, codename=permission.codename, defaults={"name": permission.name}
                    )
                    kept.group_set.add(*permission.group_set.all())
                    kept.user_set.add(*permission.user_set.all())
                new.delete()
            old.app_label = to_app
            old.save(update_fields=["app_label"])

    return migrations.RunPython(move, migrations.RunPython.noop)
