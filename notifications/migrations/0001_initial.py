"""Notification, moved from the wall app with its table (wall_notification) and its rows."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from wall.model_moves import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wall", "0014_notification_moved_to_notifications"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("event", models.CharField(max_length=40, verbose_name="event")),
                        (
                            "channel",
                            models.CharField(
                                choices=[("email", "Email"), ("webhook", "Group robot")],
                                max_length=20,
                                verbose_name="channel",
                            ),
                        ),
                        ("recipient", models.CharField(max_length=500, verbose_name="recipient")),
                        ("subject", models.CharField(max_length=200, verbose_name="subject")),
                        ("body", models.TextField(verbose_name="text")),
                        (
                            "status",
                            models.CharField(
                                choices=[("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")],
                                default="pending",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        (
                            "next_attempt_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="next attempt"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="created at"),
                        ),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        ("hide_recipient", models.BooleanField(default=False, editable=False)),
                        (
                            "dedupe_key",
                            models.CharField(blank=True, editable=False, max_length=200, null=True, unique=True),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to="wall.post",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "db_table": "wall_notification",
                        "ordering": ["-created_at", "-pk"],
                        "indexes": [
                            models.Index(fields=["status", "next_attempt_at"], name="wall_notifi_status_e13420_idx")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_types("notifications", ["notification"]),
    ]
