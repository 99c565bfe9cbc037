"""The periodic tick (逾期督办): reminders and escalation (the unit's supervisors, the global
supervisors, then the unit's responsible vice-president where one is set), then what the apps
following the wall do on each tick (cases.signals.ticked: notification retries and daily digests,
the recount of the statistics days that writes marked stale).

Safe to run every minute, from cron (`manage.py sla_tick`) or as the `run_tick` task: each step
is claimed with a conditional update, so two ticks at once still remind and escalate exactly once.
"""

from collections import Counter
from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from accounts import ratelimit
from cases import clock
from cases.models import HandlingSettings, Post
from cases.signals import ticked


def tick():
    now = timezone.now()
    done = Counter()
    for post in _late_screening(now):
        done["editors reminded of late screening"] += post.remind_screening()
    for post in _late_replies(now):
        done["reminded"] += post.remind_reply()
    for post in Post.objects.hold_due(timezone.localdate(now)):
        done["reminded of a planned solution date"] += post.remind_hold()
    for post in Post.objects.resolution_overdue(now).filter(escalation=Post.Escalation.NONE).select_related("unit"):
        if post.unit and post.unit.supervisors.exists():
            done["escalated to supervisors"] += post.escalate(Post.Escalation.SUPERVISORS)
        else:  # nobody watches the unit: the global supervisors at once, and the trail says why
            done["escalated to global supervisors"] += post.escalate(
                Post.Escalation.GLOBAL, why="wall.escalate_unwatched"
            )
    settings = HandlingSettings.load()
    for post in _untouched_at(Post.Escalation.SUPERVISORS, settings.global_escalation_workdays, now):
        done["escalated to global supervisors"] += post.escalate(Post.Escalation.GLOBAL)
    vice_president_set = _untouched_at(Post.Escalation.GLOBAL, settings.leader_escalation_workdays, now)
    for post in [post for post in vice_president_set if post.unit and post.unit.vice_president_id]:
        done["escalated to vice-presidents"] += post.escalate(Post.Escalation.LEADER, why="wall.escalate_leader")
    for _receiver, counts in ticked.send(sender=None, now=now):
        done.update(counts)
    done["rate counters expired"] += ratelimit.remove_expired()
    return done


def _late_screening(now):
    # Unscreened posts are few (the editors' queue): each one's deadline is its kind's.
    waiting = Post.objects.filter(status=Post.Status.SUBMITTED, screening_reminded_at=None).select_related("kind")
    return [post for post in waiting if post.screening_due_at < now]


def _late_replies(now):
    return Post.objects.filter(status__in=Post.AWAITING_REPLY, reply_due_at__lt=now, reminded_round__lt=F("round"))


def _untouched_at(level, workdays, now):
    """Open posts escalated to level at least `workdays` working days ago, and still there."""
    # N working days take at least N calendar days, so this cut-off only narrows the search.
    candidates = Post.objects.open().filter(escalation=level, escalated_at__lte=now - timedelta(days=workdays))
    return [
        post for post in candidates.select_related("unit") if clock.workdays_between(post.escalated_at, now) >= workdays
    ]


@task()
def run_tick():
    tick()
