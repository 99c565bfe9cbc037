"""The Notification model moved to the notifications app: its table stays as it is (see notifications/0001)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("wall", "0013_statistics_moved_to_stats"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Notification",
                ),
            ],
            database_operations=[],
        ),
    ]
