"""An existing wall upgrades with `migrate` alone: models that moved to their own app keep their rows.

The database is taken back to the schema before the move, given data there through the models as
they were, and migrated forward again, as `manage.py migrate` does on a deployed wall.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import RateCounter
from cases.models import Post, Unit
from notifications import delivery
from notifications.models import Notification
from stats.figures import by_unit
from stats.models import DailyFigures, StatisticsSettings
from stats.periods import custom_period

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_THE_MOVES = [("wall", "0012_answer_reused_wording"), ("stats", None), ("notifications", None)]


def migrate(targets):
    """Migrate to targets; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# A plain upgrade meets only wall's content types; a migrate cut short after Django's post-migrate
# step may have made the new apps' already.
@pytest.mark.parametrize("new_types_made", [False, True])
def test_rows_and_permissions_survive_the_moves_out_of_the_wall(new_types_made):
    old = migrate(BEFORE_THE_MOVES)
    if not new_types_made:
        old.get_model("contenttypes", "ContentType").objects.filter(
            app_label__in=["stats", "notifications", "cases", "accounts"]
        ).exclude(model="campusidentity").delete()
    old.get_model("wall", "Notification").objects.create(
        event="routed", channel="email", recipient="handler@example.edu", subject="新诉求", body="…", status="failed"
    )
    unit = old.get_model("wall", "Unit").objects.create(name="后勤管理处")
    old.get_model("wall", "StatisticsSettings").objects.create(satisfied_at_or_above=3, publish_unit_figures=True)
    figures = old.get_model("wall", "DailyFigures")
    figures.objects.create(day=date(2026, 3, 10), unit_id=unit.pk, received=7, answered=5, answered_on_time=4)
    figures.objects.create(day=date(2026, 3, 10), unit_id=None, received=7, answered=5, answered_on_time=4)
    old_types = old.get_model("contenttypes", "ContentType")
    settings_type, _ = old_types.objects.get_or_create(app_label="wall", model="statisticssettings")
    permission, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=settings_type, codename="change_statisticssettings", defaults={"name": "Can change"}
    )
    old.get_model("auth", "Group").objects.create(name="统计办").permissions.add(permission)
    editor = _a_case_as_it_was(old, unit)

    migrate(latest())

    failed = Notification.objects.get()
    assert (failed.subject, failed.status) == ("新诉求", Notification.Status.FAILED)
    assert delivery.retry(failed)  # staff can still retry it
    rules = StatisticsSettings.objects.get()
    assert (rules.satisfied_at_or_above, rules.publish_unit_figures) == (3, True)
    assert DailyFigures.objects.filter(day=date(2026, 3, 10)).count() == 2
    march_tenth = custom_period(date(2026, 3, 10), date(2026, 3, 10))
    row = next(row for row in by_unit(march_tenth) if row.unit_id == Unit.objects.get(name="后勤管理处").pk)
    assert (row.received, row.answered_on_time) == (7, 4)
    group_permissions = Permission.objects.filter(group=Group.objects.get(name="统计办"))
    assert [f"{p.content_type.app_label}.{p.codename}" for p in group_permissions] == [
        "stats.change_statisticssettings"
    ]
    _the_case_is_there(editor)


def _a_case_as_it_was(old, unit):
    """A post with a reply and a photo-less history, its unit's handler, an editor: the old schema's rows."""
    user_model = old.get_model(*get_user_model()._meta.label.split("."))
    handler = user_model.objects.create(username="handler")
    old.get_model("wall", "Unit").objects.get(pk=unit.pk).handlers.add(handler)
    kind = old.get_model("wall", "Kind").objects.create(name="咨询", slug="question")
    category = old.get_model("wall", "Category").objects.create(name="后勤", default_unit=unit)
    post = old.get_model("wall", "Post").objects.create(
        kind=kind, category=category, unit=unit, title="宿舍热水时间", body="几点有热水？", status="replied"
    )
    old.get_model("wall", "Reply").objects.create(post=post, unit=unit, author=handler, body="每天 18 点到 23 点。")
    old.get_model("wall", "RateCounter").objects.create(key="post:10.0.0.1", count=3, expires_at="2026-03-10T00:00Z")
    post_type, _ = old.get_model("contenttypes", "ContentType").objects.get_or_create(app_label="wall", model="post")
    moderate, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=post_type, codename="moderate_post", defaults={"name": "Can screen"}
    )
    editor = user_model.objects.create(username="editor")
    group = old.get_model("auth", "Group").objects.create(name="编辑部")
    group.permissions.add(moderate)
    editor.groups.add(group)
    return editor.pk


def _the_case_is_there(editor_pk):
    post = Post.objects.get(title="宿舍热水时间")
    assert (post.kind.name, post.category.name, post.unit.name, post.status) == (
        "咨询",
        "后勤",
        "后勤管理处",
        "replied",
    )
    assert [reply.body for reply in post.replies.all()] == ["每天 18 点到 23 点。"]
    assert [user.username for user in post.unit.handlers.all()] == ["handler"]
    assert RateCounter.objects.get(key="post:10.0.0.1").count == 3
    editor = get_user_model().objects.get(pk=editor_pk)
    assert editor.has_perm("cases.moderate_post")
