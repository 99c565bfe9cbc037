"""Phone, walk-in and letter intake (#20.4): editors type in a post for a caller; the channel is in
the case file, the filters and the statistics; repair posts' contact details reach the unit."""

from datetime import date, datetime, timedelta

import time_machine
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from api.posting import create_post
from cases.models import Kind, Post
from stats import periods
from stats.figures import by_channel
from tests.factories import make_category, make_editor, make_handler, make_kind, make_post, make_unit
from wall.forms import PostForm

INTAKE_URL = reverse("cases_admin:intake")
SH = periods.LOCAL


def _call(**fields):
    return {
        "channel": "phone",
        "created_at": "2026-03-02 09:15",
        "kind": make_kind("报修", "repair").pk,
        "category": make_category().pk,
        "title": "三号楼302水管漏水",
        "body": "来电：三号楼302卫生间水管漏水，地面积水。",
        "contact_name": "王老师",
        "contact_phone": "13900002222",
        **fields,
    }


@time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SH), tick=False)
def test_an_editor_takes_in_a_phone_call_as_told(client):
    editor = make_editor()
    client.force_login(editor)

    response = client.post(INTAKE_URL, _call(is_anonymous="on"))

    post = Post.objects.get()
    assert response.url == reverse("cases_admin:post", args=[post.pk])
    assert (post.channel, post.status, post.is_anonymous, post.poster) == ("phone", "submitted", True, None)
    assert timezone.localtime(post.created_at, SH) == datetime(2026, 3, 2, 9, 15, tzinfo=SH)
    assert (post.contact_name, post.contact_phone) == ("王老师", "13900002222")
    assert ModelLogEntry.objects.filter(object_id=str(post.pk), action="wall.intake", user=editor).exists()
    assert "电话" in client.get(response.url).content.decode()  # the case file names the channel


@time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=SH), tick=False)
def test_a_time_received_in_the_future_is_refused_and_nothing_is_stored(client):
    client.force_login(make_editor())
    response = client.post(INTAKE_URL, _call(created_at="2026-03-02 11:00"))
    assert response.status_code == 200
    assert "不能晚于现在" in response.content.decode()
    assert not Post.objects.exists()


def test_all_posts_filters_by_channel(client):
    editor = make_editor()
    by_phone = make_post(title="电话反映路灯坏了", channel="phone")
    make_post(title="网页反映路灯坏了")
    client.force_login(editor)
    content = client.get(reverse("cases_admin:posts"), {"channel": "phone"}).content.decode()
    assert reverse("cases_admin:post", args=[by_phone.pk]) in content
    assert "网页反映路灯坏了" not in content


def test_the_statistics_count_received_posts_per_channel():
    editor, unit = make_editor(), make_unit()
    with time_machine.travel(datetime(2026, 3, 3, 10, tzinfo=SH), tick=False):
        for channel in ["phone", "phone", "web", "letter"]:
            make_post(channel=channel).accept(editor, unit)
        make_post(channel="visit")  # not accepted: not received yet
    with time_machine.travel(datetime(2026, 3, 10, tzinfo=SH), tick=False):
        counted = by_channel(periods.period_of(periods.PeriodKind.MONTH, date(2026, 3, 1)))
    assert counted == [("电话", 2), ("网页", 1), ("信函", 1)]


def test_a_repair_posts_contact_reaches_the_units_handler_and_no_other_kinds(client):
    editor, unit = make_editor(), make_unit()
    handler = make_handler(unit)
    repairs = Kind.objects.update_or_create(slug="repair", defaults={"name": "报修", "contact_for_handlers": True})[0]
    repair = make_post(kind=repairs, contact_phone="13900003333", is_anonymous=True)
    question = make_post(kind=make_kind(), contact_phone="13900004444")
    for post in (repair, question):
        post.accept(editor, unit)
    client.force_login(handler)
    assert "13900003333" in client.get(reverse("cases_admin:post", args=[repair.pk])).content.decode()
    assert "13900004444" not in client.get(reverse("cases_admin:post", args=[question.pk])).content.decode()


def test_the_form_tells_posters_which_kinds_share_their_contact():
    make_kind("咨询", "question")
    assert "咨询" not in str(PostForm(user=AnonymousUser()).fields["contact_name"].help_text)
    Kind.objects.update_or_create(slug="repair", defaults={"name": "报修", "contact_for_handlers": True})
    assert "报修" in str(PostForm(user=AnonymousUser()).fields["contact_name"].help_text)


def test_api_and_open311_posts_keep_their_channel(client):
    from django.contrib.auth.models import AnonymousUser

    fields = {
        "kind": make_kind().pk,
        "category": make_category().pk,
        "title": "接口来的诉求",
        "body": "通过接口提交的诉求内容。",
    }
    post, errors = create_post(AnonymousUser(), fields, Post.Channel.OPEN311)
    assert errors is None and Post.objects.get(pk=post.pk).channel == "open311"
    assert timedelta(0) <= timezone.now() - post.created_at < timedelta(minutes=1)
