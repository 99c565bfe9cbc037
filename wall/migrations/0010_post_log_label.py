from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat


def number_not_title(apps, schema_editor):
    """Post log entries already written carry the post's title: keep its number only (Post.log_label)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    post_type = ContentType.objects.filter(app_label="wall", model="post").first()
    if post_type:
        ModelLogEntry.objects.filter(content_type=post_type).update(label=Concat(Value("#"), F("object_id")))


class Migration(migrations.Migration):
    dependencies = [
        ("wall", "0009_notification_hide_recipient"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(number_not_title, migrations.RunPython.noop)]
