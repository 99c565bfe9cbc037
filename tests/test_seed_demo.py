import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cases import roles
from cases.models import AnswerReused, Category, FollowUp, Kind, Post, Rating, Reply, Unit
from search.backends import get_backend
from wall import demo_data
from wall.models import WallPostPage


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Loads the demo once for this module (it takes seconds) and undoes it after the module's last test.

    Each test still runs in its own savepoint inside this transaction, so they cannot disturb one another.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("setup_site", verbosity=0)
        out = io.StringIO()
        call_command("seed_demo", "--force", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def printed_logins(output):
    """(username, password, role) for each row of the logins table that ends the output."""
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["username", "password"])
    return [tuple(line.split(maxsplit=2)) for line in lines[header + 1 :] if line.strip()]


def test_it_creates_posts_in_every_state(demo_output):
    states = set(Post.objects.values_list("status", flat=True))

    # Merging has no transition yet, so the demo cannot merge a post the way the product would.
    assert states == set(Post.Status) - {Post.Status.MERGED}
    assert Post.objects.count() == 300
    assert Kind.objects.count() == 5
    assert Unit.objects.count() >= 12
    assert Category.objects.count() >= 11


def test_it_prints_logins_that_work(demo_output, client):
    logins = printed_logins(demo_output)

    assert {username for username, _, _ in logins} >= {
        "admin",
        "editor",
        "handler",
        "handler2",
        "supervisor",
        "globalsup",
        "leader",
        "student",
    }
    for username, password, _ in logins:
        assert client.login(username=username, password=password), username
        client.logout()


def test_it_gives_each_login_its_role(demo_output):
    users = {user.username: user for user in User.objects.all()}
    logistics, it_office = Unit.objects.get(name="后勤管理处"), Unit.objects.get(name="信息化建设与管理处")

    assert users["admin"].is_superuser
    assert roles.is_editor(users["editor"])
    assert roles.handles(users["handler"], logistics) and roles.handles(users["handler"], it_office)
    assert not roles.handles(users["handler2"], logistics)
    assert not roles.is_editor(users["handler"])
    for username, group in [("supervisor", "督查员"), ("globalsup", "全局督办员"), ("leader", "校领导")]:
        assert users[username].groups.filter(name=group).exists()
    assert not users["student"].groups.exists()
    assert not roles.is_staff_member(users["student"])
    # Every unit can answer the posts routed to it.
    assert not Unit.objects.filter(handlers=None).exists()


def test_it_publishes_only_posts_whose_posters_agreed(demo_output):
    pages = WallPostPage.objects.live()
    published = Post.objects.filter(page__in=pages)

    assert pages.count() > 100
    assert published.count() == pages.count()
    assert Post.objects.filter(wants_public=False).exists()
    assert not published.filter(wants_public=False).exists()
    assert not published.exclude(status__in=Post.WALL_STATUSES).exists()


def test_every_topic_a_poster_let_go_public_is_on_the_wall(demo_output):
    def pattern(template):  # "{dorm}{room}宿舍空调不制冷" matches "4号学生公寓409宿舍空调不制冷"
        return re.compile(re.sub(r"\\\{\w+\\\}", ".+", re.escape(template)) + "$")

    publishable = Post.objects.filter(wants_public=True, status__in=Post.WALL_STATUSES)
    titles = set(publishable.values_list("title", flat=True))
    on_wall = set(publishable.filter(page__live=True).values_list("title", flat=True))
    topics = [pattern(topic.title) for topics in demo_data.TOPICS.values() for topic in topics]
    shown_if_any = [topic for topic in topics if any(topic.match(title) for title in titles)]

    assert len(shown_if_any) > 40
    assert [topic.pattern for topic in shown_if_any if not any(topic.match(title) for title in on_wall)] == []


def test_some_answers_on_the_wall_spared_readers_a_question(demo_output, client):
    reused = AnswerReused.objects.select_related("post__page")
    post = reused.first().post

    assert not reused.exclude(post__status__in=Post.ANSWERED).exists()
    assert not reused.filter(post__page=None).exists()
    assert all(item.post.page.first_published_at <= item.created_at <= timezone.now() for item in reused)
    count = reused.filter(post=post).count()
    assert f"已有 {count} 人在这里找到答案" in client.get(post.page.url).content.decode()


def test_it_keeps_private_replies_off_the_wall(demo_output):
    published = Post.objects.exclude(page=None).select_related("page")

    assert published.filter(replies__is_public=False).exists()
    for post in published:
        shown = [reply.body for reply in post.page.public_replies.all()]
        private = post.replies.filter(is_public=False).values_list("body", flat=True)
        assert shown == list(post.replies.filter(is_public=True).values_list("body", flat=True))
        assert not set(private) & set(shown)


def test_it_dates_the_history_in_the_past_year(demo_output):
    now = timezone.now()
    oldest = Post.objects.order_by("created_at").first().created_at
    # The clock's reminders and escalations at the end of the load really happen now.
    recent_log_entries = ModelLogEntry.objects.filter(timestamp__gte=now - timedelta(hours=1)).exclude(
        action__in=["wall.remind", "wall.remind_screening", "wall.escalate", "wall.escalate_unwatched"]
    )

    assert now - timedelta(days=366) < oldest < now - timedelta(days=300)
    # The transitions ran just now; only a handful of the newest posts really belong to the last hour.
    assert recent_log_entries.count() < 20 < ModelLogEntry.objects.count()
    assert not Reply.objects.filter(created_at__gte=now - timedelta(minutes=1)).exists()
    assert not Rating.objects.filter(created_at__gte=now - timedelta(minutes=1)).exists()
    assert not FollowUp.objects.filter(created_at__gte=now - timedelta(minutes=1)).exists()
    for post in Post.objects.exclude(accepted_at=None).prefetch_related("replies"):
        assert post.created_at <= post.accepted_at
        assert all(reply.created_at >= post.accepted_at for reply in post.replies.all())
    for post in Post.objects.exclude(page=None).select_related("page"):
        assert post.page.posted_at == post.created_at


def test_it_changes_nothing_when_run_again(demo_output):
    models = [Post, Reply, Rating, FollowUp, AnswerReused, User, Unit, Category, Kind, WallPostPage, ModelLogEntry]
    before = {model: model.objects.count() for model in models}
    out = io.StringIO()

    call_command("seed_demo", "--force", stdout=out)

    assert "Demo data already loaded." in out.getvalue()
    assert {model: model.objects.count() for model in models} == before
    assert printed_logins(out.getvalue()) == printed_logins(demo_output)


def test_it_shows_overdue_escalated_transferred_and_co_handled_posts(demo_output):
    assert Post.objects.overdue().exists()
    assert Post.objects.filter(escalation=Post.Escalation.SUPERVISORS).exists()
    assert Post.objects.filter(transfer_count__gt=0).exists()
    assert Post.objects.exclude(co_units=None).exists()


def test_it_refuses_to_seed_a_production_site_without_force(db, settings):
    settings.DEBUG = False
    users = User.objects.count()
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.count() == users


@pytest.mark.parametrize(
    "query, title_says",
    [
        ("校园网 断网", "校园网晚上频繁断线"),
        ("寝室 空调", "宿舍空调不制冷"),
        ("食堂 涨价", "饭菜价格上涨明显"),
        ("wifi", "无线网络连不上"),
        ("洗澡水", "热水"),
    ],
)
def test_the_demo_finds_what_students_type_first(demo_output, query, title_says):
    # The demo's pages were published inside this module's transaction, whose commit never comes.
    call_command("rebuild_search_index", stdout=io.StringIO())
    hits = get_backend().search(query).hits
    assert hits and title_says in hits[0].title, [hit.title for hit in hits[:5]]


def test_the_demos_staff_have_addresses_for_its_reminders_and_the_poster_none(demo_output):
    assert User.objects.get(username="editor").email == "editor@example.org"
    assert User.objects.get(username="student").email == ""
