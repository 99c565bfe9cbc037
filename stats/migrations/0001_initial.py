"""The statistics models, moved from the wall app with their tables (wall_*) and their rows.

On a wall made before the move, the tables exist: only Django's idea of which app owns them changes,
and the content types follow so that permissions given to groups (统计规则) keep working.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

from wall.model_moves import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wall", "0013_statistics_moved_to_stats"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StaleDay",
                    fields=[
                        ("day", models.DateField(primary_key=True, serialize=False)),
                        ("marked_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        "db_table": "wall_staleday",
                    },
                ),
                migrations.CreateModel(
                    name="StatisticsSettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "satisfied_at_or_above",
                            models.PositiveSmallIntegerField(
                                default=4,
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="a rating is satisfied when its result score is at least",
                            ),
                        ),
                        (
                            "publish_unit_figures",
                            models.BooleanField(
                                default=False,
                                help_text="Off: the public page shows the figures of the whole school only.",
                                verbose_name="show each unit's figures on the public statistics page",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "statistics rules",
                        "db_table": "wall_statisticssettings",
                    },
                ),
                migrations.CreateModel(
                    name="DailyFigures",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("day", models.DateField()),
                        ("received", models.PositiveIntegerField(default=0)),
                        ("answered", models.PositiveIntegerField(default=0)),
                        ("answered_on_time", models.PositiveIntegerField(default=0)),
                        ("closed", models.PositiveIntegerField(default=0)),
                        ("closed_on_time", models.PositiveIntegerField(default=0)),
                        ("reopened", models.PositiveIntegerField(default=0)),
                        ("wait_sum", models.BigIntegerField(default=0)),
                        ("waits", models.JSONField(default=dict)),
                        ("rated", models.PositiveIntegerField(default=0)),
                        ("result_1", models.PositiveIntegerField(default=0)),
                        ("result_2", models.PositiveIntegerField(default=0)),
                        ("result_3", models.PositiveIntegerField(default=0)),
                        ("result_4", models.PositiveIntegerField(default=0)),
                        ("result_5", models.PositiveIntegerField(default=0)),
                        ("attitude_sum", models.PositiveIntegerField(default=0)),
                        ("speed_sum", models.PositiveIntegerField(default=0)),
                        ("result_sum", models.PositiveIntegerField(default=0)),
                        ("transfers", models.PositiveIntegerField(default=0)),
                        ("categories", models.JSONField(default=dict)),
                        (
                            "unit",
                            models.ForeignKey(
                                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="wall.unit"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wall_dailyfigures",
                        "constraints": [
                            models.UniqueConstraint(fields=("day", "unit"), name="daily_figures_once_per_unit"),
                            models.UniqueConstraint(
                                condition=models.Q(("unit", None)), fields=("day",), name="daily_figures_once_per_day"
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="MonthlyWaits",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("month", models.DateField()),
                        ("waits", models.JSONField(default=dict)),
                        (
                            "unit",
                            models.ForeignKey(
                                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="wall.unit"
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wall_monthlywaits",
                        "indexes": [models.Index(fields=["month", "unit"], name="wall_monthl_month_2d98e5_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_types("stats", ["staleday", "statisticssettings", "dailyfigures", "monthlywaits"]),
    ]
