"""An existing wall upgrades with `migrate` alone: models that moved to their own app keep their rows.

The database is taken back to the schema before the move, given data there through the models as
they were, and migrated forward again, as `manage.py migrate` does on a deployed wall.
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notifications import delivery
from notifications.models import Notification
from stats.figures import by_unit
from stats.models import DailyFigures, StatisticsSettings
from stats.periods import custom_period
from wall.models import Unit

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
def test_rows_and_permissions_survive_the_moves_to_stats_and_notifications(new_types_made):
    old = migrate(BEFORE_THE_MOVES)
    if not new_types_made:
        old.get_model("contenttypes", "ContentType").objects.filter(app_label__in=["stats", "notifications"]).delete()
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
