"""The cases' models (posts and their records, kinds, categories, units, the handling rules), moved from the wall app with their tables and rows."""

import cases.models.posts
import cases.rules
import cases.transitions
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from wall.model_moves import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("wall", "0015_merged_duplicates"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CalendarDay",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("date", models.DateField(unique=True, verbose_name="date")),
                        ("is_workday", models.BooleanField(verbose_name="working day")),
                        (
                            "note",
                            models.CharField(
                                blank=True, help_text="e.g. 春节 or 国庆调休", max_length=60, verbose_name="note"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "calendar day",
                        "verbose_name_plural": "calendar days",
                        "db_table": "wall_calendarday",
                        "ordering": ["-date"],
                    },
                ),
                migrations.CreateModel(
                    name="Category",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=40, unique=True, verbose_name="name")),
                        ("sort_order", models.PositiveSmallIntegerField(default=0, verbose_name="sort order")),
                    ],
                    options={
                        "verbose_name": "category",
                        "verbose_name_plural": "categories",
                        "db_table": "wall_category",
                        "ordering": ["sort_order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="HandlingSettings",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "reply_hours",
                            models.PositiveSmallIntegerField(
                                default=24,
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="reply due (hours after acceptance)",
                            ),
                        ),
                        (
                            "resolve_workdays",
                            models.PositiveSmallIntegerField(
                                default=3,
                                help_text="Past this a post still open is escalated to its unit's supervisors.",
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="resolution due (working days after acceptance)",
                            ),
                        ),
                        (
                            "global_escalation_workdays",
                            models.PositiveSmallIntegerField(
                                default=2,
                                validators=[django.core.validators.MinValueValidator(1)],
                                verbose_name="then to the global supervisors after (working days)",
                            ),
                        ),
                        (
                            "max_transfers",
                            models.PositiveSmallIntegerField(
                                default=2,
                                help_text="A further transfer goes to the global supervisors instead (no passing the ball).",
                                verbose_name="transfers allowed per post",
                            ),
                        ),
                        (
                            "reopen_at_or_below",
                            models.PositiveSmallIntegerField(
                                default=2,
                                help_text="0 turns automatic reopening off.",
                                validators=[django.core.validators.MaxValueValidator(5)],
                                verbose_name="reopen when the result score is at most",
                            ),
                        ),
                        (
                            "digest_hour",
                            models.PositiveSmallIntegerField(
                                default=8,
                                help_text="Asia/Shanghai time.",
                                validators=[django.core.validators.MaxValueValidator(23)],
                                verbose_name="daily digest hour",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "handling rules",
                        "db_table": "wall_handlingsettings",
                    },
                ),
                migrations.CreateModel(
                    name="Kind",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=20, unique=True, verbose_name="name")),
                        ("slug", models.SlugField(max_length=40, unique=True, verbose_name="slug")),
                        (
                            "entry_label",
                            models.CharField(
                                blank=True,
                                help_text="e.g. 我有建议要提交",
                                max_length=40,
                                verbose_name="entry button text",
                            ),
                        ),
                        ("description", models.CharField(blank=True, max_length=200, verbose_name="description")),
                        ("sort_order", models.PositiveSmallIntegerField(default=0, verbose_name="sort order")),
                        (
                            "reply_hours",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Leave blank for the handling rules' default.",
                                null=True,
                                verbose_name="reply due (hours)",
                            ),
                        ),
                        (
                            "resolve_workdays",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="Leave blank for the handling rules' default.",
                                null=True,
                                verbose_name="resolution due (working days)",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "kind",
                        "verbose_name_plural": "kinds",
                        "db_table": "wall_kind",
                        "ordering": ["sort_order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Post",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "tracking_token",
                            models.CharField(
                                default=cases.models.posts.new_tracking_token,
                                editable=False,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        (
                            "tracking_code",
                            models.CharField(
                                default=cases.models.posts.new_tracking_code, editable=False, max_length=10, unique=True
                            ),
                        ),
                        ("title", models.CharField(max_length=100, verbose_name="title")),
                        ("body", models.TextField(max_length=5000, verbose_name="text")),
                        (
                            "public_title",
                            models.CharField(
                                blank=True,
                                help_text="Leave blank to use the original.",
                                max_length=100,
                                verbose_name="public title",
                            ),
                        ),
                        (
                            "public_body",
                            models.TextField(
                                blank=True, help_text="Leave blank to use the original.", verbose_name="public text"
                            ),
                        ),
                        ("is_anonymous", models.BooleanField(default=False, verbose_name="anonymous")),
                        ("contact_name", models.CharField(blank=True, max_length=50, verbose_name="contact name")),
                        ("contact_phone", models.CharField(blank=True, max_length=30, verbose_name="contact phone")),
                        ("contact_email", models.EmailField(blank=True, max_length=254, verbose_name="contact email")),
                        (
                            "wants_public",
                            models.BooleanField(default=True, verbose_name="poster agrees to show it on the wall"),
                        ),
                        ("on_wall", models.BooleanField(default=False, verbose_name="published on the wall")),
                        ("show_photos", models.BooleanField(default=True, verbose_name="show photos on the wall")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("submitted", "Submitted"),
                                    ("accepted", "Accepted"),
                                    ("replied", "Replied"),
                                    ("closed", "Closed"),
                                    ("reopened", "Reopened"),
                                    ("rejected", "Rejected"),
                                    ("merged", "Merged"),
                                ],
                                default="submitted",
                                max_length=20,
                                verbose_name="status",
                            ),
                        ),
                        ("reject_reason", models.TextField(blank=True, verbose_name="reason for rejection")),
                        ("round", models.PositiveSmallIntegerField(default=1, verbose_name="reply round")),
                        ("transfer_count", models.PositiveSmallIntegerField(default=0, verbose_name="transfers")),
                        (
                            "escalation",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (0, "Not escalated"),
                                    (1, "Escalated to the unit's supervisors"),
                                    (2, "Escalated to the global supervisors"),
                                ],
                                default=0,
                                verbose_name="escalation",
                            ),
                        ),
                        ("escalated_at", models.DateTimeField(blank=True, null=True, verbose_name="escalated at")),
                        ("reminded_round", models.PositiveSmallIntegerField(default=0, editable=False)),
                        (
                            "is_key_supervision",
                            models.BooleanField(default=False, verbose_name="key supervision (重点督办)"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                db_index=True, default=django.utils.timezone.now, verbose_name="posted at"
                            ),
                        ),
                        ("accepted_at", models.DateTimeField(blank=True, null=True, verbose_name="accepted at")),
                        ("reply_due_at", models.DateTimeField(blank=True, null=True, verbose_name="reply due")),
                        (
                            "resolution_due_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="resolution due"),
                        ),
                        (
                            "first_replied_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="first replied at"),
                        ),
                        ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed at")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "category",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="posts",
                                to="cases.category",
                                verbose_name="category",
                            ),
                        ),
                        (
                            "kind",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="posts",
                                to="cases.kind",
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "merged_into",
                            models.ForeignKey(
                                blank=True,
                                help_text="The post this one repeats (重复诉求): its poster follows that post's answers.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="duplicates",
                                to="cases.post",
                                verbose_name="merged into",
                            ),
                        ),
                        (
                            "page",
                            models.OneToOneField(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="wall.wallpostpage",
                            ),
                        ),
                        (
                            "poster",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="posts",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="poster",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "post",
                        "verbose_name_plural": "posts",
                        "db_table": "wall_post",
                        "ordering": ["-created_at"],
                        "permissions": [
                            ("moderate_post", "Can screen, route and publish posts"),
                            ("supervise_all", "Can supervise every unit's posts and re-assign them"),
                            ("view_statistics", "Can see every unit's statistics, rankings and ledgers"),
                        ],
                    },
                    bases=(cases.rules.PostRules, cases.transitions.PostTransitions, models.Model),
                ),
                migrations.CreateModel(
                    name="FollowUp",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("body", models.TextField(max_length=2000, verbose_name="follow-up")),
                        ("reopens", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="follow_ups", to="cases.post"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "follow-up",
                        "verbose_name_plural": "follow-ups",
                        "db_table": "wall_followup",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="AnswerReused",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("wording", models.CharField(blank=True, max_length=100, verbose_name="title typed")),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reuses",
                                to="cases.post",
                                verbose_name="post",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "answer reused",
                        "verbose_name_plural": "answers reused",
                        "db_table": "wall_answerreused",
                    },
                ),
                migrations.CreateModel(
                    name="PostPhoto",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "image",
                            models.ImageField(
                                height_field="height",
                                upload_to=cases.models.posts.photo_upload_to,
                                verbose_name="photo",
                                width_field="width",
                            ),
                        ),
                        ("width", models.PositiveIntegerField(default=0)),
                        ("height", models.PositiveIntegerField(default=0)),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="photos", to="cases.post"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "photo",
                        "verbose_name_plural": "photos",
                        "db_table": "wall_postphoto",
                        "ordering": ["pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ReturnVisit",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "outcome",
                            models.CharField(
                                choices=[
                                    ("solved", "Solved"),
                                    ("unsolved", "Not solved"),
                                    ("unreachable", "Could not reach the poster"),
                                ],
                                max_length=20,
                                verbose_name="outcome",
                            ),
                        ),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="return_visits",
                                to="cases.post",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "return visit",
                        "verbose_name_plural": "return visits",
                        "db_table": "wall_returnvisit",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Unit",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=60, unique=True, verbose_name="name")),
                        (
                            "type",
                            models.CharField(
                                choices=[("department", "Department"), ("college", "College"), ("other", "Other")],
                                default="department",
                                max_length=20,
                                verbose_name="type",
                            ),
                        ),
                        ("description", models.CharField(blank=True, max_length=200, verbose_name="description")),
                        (
                            "webhook_url",
                            models.URLField(
                                blank=True,
                                help_text="A WeCom (企业微信) or DingTalk (钉钉) group robot URL for instant alerts.",
                                verbose_name="group robot webhook",
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "handlers",
                            models.ManyToManyField(
                                blank=True,
                                help_text="Usually one or two information officers (信息员) who answer this unit's posts.",
                                related_name="handled_units",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="handlers",
                            ),
                        ),
                        (
                            "supervisors",
                            models.ManyToManyField(
                                blank=True,
                                help_text="Supervisors (督查员) who watch this unit's overdue posts.",
                                related_name="supervised_units",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="supervisors",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "unit",
                        "verbose_name_plural": "units",
                        "db_table": "wall_unit",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="Transfer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("transfer", "Transfer"),
                                    ("reassign", "Re-assignment by a supervisor"),
                                    ("refused", "Transfer refused: sent to the global supervisors"),
                                ],
                                default="transfer",
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        ("reason", models.TextField(verbose_name="reason")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="transfers", to="cases.post"
                            ),
                        ),
                        (
                            "from_unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="transfers_out",
                                to="cases.unit",
                                verbose_name="from",
                            ),
                        ),
                        (
                            "to_unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="transfers_in",
                                to="cases.unit",
                                verbose_name="to",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "transfer",
                        "verbose_name_plural": "transfers",
                        "db_table": "wall_transfer",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="Reply",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("round", models.PositiveSmallIntegerField(default=1)),
                        ("body", models.TextField(verbose_name="reply")),
                        (
                            "is_public",
                            models.BooleanField(
                                default=True,
                                help_text="Private replies are shown to the poster only.",
                                verbose_name="public reply",
                            ),
                        ),
                        (
                            "cannot_solve",
                            models.BooleanField(
                                default=False,
                                help_text="Say why in the reply; it still counts as a reply.",
                                verbose_name="cannot be solved now",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="replied at"),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="author",
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="replies", to="cases.post"
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="cases.unit",
                                verbose_name="unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "reply",
                        "verbose_name_plural": "replies",
                        "db_table": "wall_reply",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.AddField(
                    model_name="post",
                    name="co_units",
                    field=models.ManyToManyField(
                        blank=True, related_name="co_handled_posts", to="cases.unit", verbose_name="co-handling units"
                    ),
                ),
                migrations.AddField(
                    model_name="post",
                    name="requested_unit",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="cases.unit",
                        verbose_name="unit asked for by the poster",
                    ),
                ),
                migrations.AddField(
                    model_name="post",
                    name="unit",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="posts",
                        to="cases.unit",
                        verbose_name="responsible unit",
                    ),
                ),
                migrations.CreateModel(
                    name="InternalNote",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("body", models.TextField(max_length=5000, verbose_name="internal note")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="notes", to="cases.post"
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="cases.unit",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "internal note",
                        "verbose_name_plural": "internal notes",
                        "db_table": "wall_internalnote",
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.AddField(
                    model_name="category",
                    name="default_unit",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Pre-selected when an editor routes a post of this category.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="cases.unit",
                        verbose_name="default unit",
                    ),
                ),
                migrations.CreateModel(
                    name="Follow",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="follows",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="follower",
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="follows",
                                to="cases.post",
                                verbose_name="post",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "follow",
                        "verbose_name_plural": "follows",
                        "db_table": "wall_follow",
                        "ordering": ["-created_at"],
                        "constraints": [models.UniqueConstraint(fields=("post", "user"), name="one_follow_per_user")],
                    },
                ),
                migrations.CreateModel(
                    name="Rating",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("round", models.PositiveSmallIntegerField(default=1)),
                        (
                            "attitude",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="attitude",
                            ),
                        ),
                        (
                            "speed",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="speed",
                            ),
                        ),
                        (
                            "result",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="result",
                            ),
                        ),
                        ("comment", models.TextField(blank=True, verbose_name="comment")),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="rated at"),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="ratings", to="cases.post"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "rating",
                        "verbose_name_plural": "ratings",
                        "db_table": "wall_rating",
                        "constraints": [
                            models.UniqueConstraint(fields=("post", "round"), name="one_rating_per_round"),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("attitude__range", (1, 5)), ("speed__range", (1, 5)), ("result__range", (1, 5))
                                ),
                                name="scores_between_1_and_5",
                            ),
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="post",
                    index=models.Index(fields=["status", "created_at"], name="wall_post_status_bcd90f_idx"),
                ),
                migrations.AddIndex(
                    model_name="post",
                    index=models.Index(fields=["unit", "status"], name="wall_post_unit_id_6da3c8_idx"),
                ),
                migrations.AddIndex(
                    model_name="post",
                    index=models.Index(fields=["accepted_at", "unit"], name="wall_post_accepte_b4dc50_idx"),
                ),
                migrations.AddIndex(
                    model_name="post",
                    index=models.Index(
                        condition=models.Q(("first_replied_at", None)),
                        fields=["reply_due_at"],
                        name="post_unanswered_due",
                    ),
                ),
            ],
            database_operations=[],
        ),
        move_content_types(
            "cases",
            [
                "post",
                "postphoto",
                "reply",
                "rating",
                "followup",
                "transfer",
                "internalnote",
                "returnvisit",
                "follow",
                "answerreused",
                "kind",
                "unit",
                "category",
                "handlingsettings",
                "calendarday",
            ],
        ),
    ]
