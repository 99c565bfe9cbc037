"""RateCounter, moved from the wall app with its table (wall_ratecounter) and its rows."""

from django.db import migrations, models

from wall.model_moves import move_content_types


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wall", "0015_merged_duplicates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RateCounter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=250, unique=True)),
                        ("count", models.PositiveIntegerField(default=0)),
                        ("expires_at", models.DateTimeField(db_index=True)),
                    ],
                    options={
                        "verbose_name": "rate counter",
                        "verbose_name_plural": "rate counters",
                        "db_table": "wall_ratecounter",
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_types("accounts", ["ratecounter"]),
    ]
