"""The public statistics page: the school's three rates, units' figures only when the settings allow."""

from datetime import datetime

import time_machine
from django.urls import reverse

from cases.models import AnswerReused, Post
from stats import periods
from stats.models import StatisticsSettings
from tests.factories import make_accepted_post, make_editor, make_handler, make_replied_post, make_unit

URL = reverse("stats:transparency")
SH = periods.LOCAL


def _march_posts():
    houqin = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(houqin)
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False):
        answered = make_accepted_post(editor, houqin, title="三号楼热水不热", wants_public=False)
        answered.reply(handler, "已修好", is_public=False)
        answered.rate(5, 5, 5)
        make_accepted_post(editor, houqin, title="宿舍阳台漏水严重", body="我住在 5 号楼 312，电话 13800000000")
    return houqin


def test_it_shows_this_months_and_this_years_rates_to_anyone(client):
    _march_posts()
    with time_machine.travel(datetime(2026, 3, 20, tzinfo=SH), tick=False):
        content = client.get(URL).content.decode()
    assert "本月" in content and "今年" in content
    assert content.count("50.0%") == 2  # response: 1 of 2 answered in time, this month and this year
    assert content.count("100.0%") == 2  # satisfied: 1 of 1, twice
    assert "受理诉求" in content and "满意率" in content
    assert "响应率" in content and "答复时限" in content  # the definitions, in Chinese


def test_it_shows_no_post_content_and_no_unit_by_default(client):
    _march_posts()
    with time_machine.travel(datetime(2026, 3, 20, tzinfo=SH), tick=False):
        content = client.get(URL).content.decode()
    for private in ("三号楼热水不热", "宿舍阳台漏水严重", "13800000000", "已修好"):
        assert private not in content
    assert "后勤管理处" not in content


def test_it_shows_units_figures_when_the_settings_allow(client):
    _march_posts()
    settings = StatisticsSettings.load()
    settings.publish_unit_figures = True
    settings.save()
    with time_machine.travel(datetime(2026, 3, 20, tzinfo=SH), tick=False):
        content = client.get(URL).content.decode()
    assert content.count("后勤管理处") == 2  # this month's table and this year's
    assert "三号楼热水不热" not in content


def test_it_has_no_rates_before_anything_is_received(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "—" in response.content.decode()


def test_it_recounts_a_running_period_at_most_every_five_minutes(client):
    houqin = _march_posts()
    with time_machine.travel(datetime(2026, 3, 20, 9, 0, tzinfo=SH), tick=False):
        assert "<dd>2</dd>" in client.get(URL).content.decode()  # received this month
        make_accepted_post(make_editor(), houqin)
        assert "<dd>3</dd>" not in client.get(URL).content.decode()  # a visitor cannot make it recount a year
    with time_machine.travel(datetime(2026, 3, 20, 9, 6, tzinfo=SH), tick=False):
        assert "<dd>3</dd>" in client.get(URL).content.decode()


def test_common_questions_come_from_the_wall_alone(client):
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)
    for title in ("图书馆空调太冷", "图书馆空调温度太低", "图书馆座位不够"):
        post = make_replied_post(editor, handler, unit, title=title)
        post.publish(editor)
    helped = Post.objects.get(title="图书馆座位不够")
    AnswerReused.objects.bulk_create([AnswerReused(post=helped), AnswerReused(post=helped)])
    for _ in range(3):  # private: its words and its title stay out
        make_accepted_post(editor, unit, title="私密宿舍霉菌", body="私密宿舍霉菌严重", wants_public=False)

    content = client.get(reverse("stats:common_questions")).content.decode()

    reused = content[content.index("data-reused") : content.index("data-terms")]
    terms = content[content.index("data-terms") :]
    assert "图书馆座位不够" in reused and "图书馆空调太冷" not in reused
    assert "图书馆" in terms and "空调" in terms
    assert "私密" not in content and "霉菌" not in content
