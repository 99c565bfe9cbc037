"""Headline figures. The full 三率 statistics come with the statistics work (issue #5)."""

from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from wall.models import Post, Rating

SATISFIED_RESULT = 4  # a rating counts as satisfied when its result score is at least this


@dataclass(frozen=True)
class Figures:
    received: int
    # Answered within the reply deadline / received, leaving out posts whose deadline is still
    # ahead and that have no reply yet: they are neither on time nor late so far.
    response_rate: float | None
    rated: int
    satisfaction_rate: float | None  # satisfied ratings / ratings


def month_start(now=None):
    now = timezone.localtime(now or timezone.now())
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def figures_since(start, now=None):
    now = now or timezone.now()
    received = Post.objects.filter(accepted_at__gte=start)
    answered_on_time = received.filter(first_replied_at__lte=F("reply_due_at")).count()
    undecided = received.filter(first_replied_at=None, reply_due_at__gt=now).count()
    total = received.count()
    ratings = Rating.objects.filter(created_at__gte=start)
    rated = ratings.count()
    satisfied = ratings.filter(result__gte=SATISFIED_RESULT).count()
    return Figures(
        received=total,
        response_rate=answered_on_time / (total - undecided) if total > undecided else None,
        rated=rated,
        satisfaction_rate=satisfied / rated if rated else None,
    )
