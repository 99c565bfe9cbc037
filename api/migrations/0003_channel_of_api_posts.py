"""Posts sent by API clients before the channel was kept are marked as come through the API (the
JSON API and Open311 were not told apart then)."""

from django.db import migrations


def mark_api_posts(apps, schema_editor):
    submitted = apps.get_model("api", "ApiSubmission").objects.values("post_id")
    apps.get_model("cases", "Post").objects.filter(pk__in=submitted).update(channel="api")


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_post_moved_to_cases"),
        ("cases", "0002_channel_and_contact_for_handlers"),
    ]

    operations = [
        migrations.RunPython(mark_api_posts, migrations.RunPython.noop),
    ]
