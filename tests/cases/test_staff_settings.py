from datetime import date

import pytest
from django.urls import reverse

from cases import clock
from cases.models import Category, HandlingSettings, Kind, Unit
from tests.factories import make_editor, make_handler, make_kind, make_unit, make_user

ADMIN_HOME = reverse("wagtailadmin_home")
SETTINGS_URLS = [reverse("wall_kinds:index"), reverse("wall_categories:index"), reverse("wall_units:index")]


@pytest.mark.parametrize("url", SETTINGS_URLS)
def test_it_lets_editors_open_the_settings(client, url):
    client.force_login(make_editor())

    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", SETTINGS_URLS)
def test_it_refuses_the_settings_to_handlers(client, url):
    client.force_login(make_handler(make_unit()))

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == ADMIN_HOME


def test_it_shows_the_settings_menu_to_editors_only(client):
    client.force_login(make_editor())
    editor_home = client.get(ADMIN_HOME).content.decode()
    client.force_login(make_handler(make_unit()))
    handler_home = client.get(ADMIN_HOME).content.decode()

    for url in SETTINGS_URLS:
        assert f'"url": "{url}"' in editor_home
        assert f'"url": "{url}"' not in handler_home


def test_it_adds_a_kind_in_its_place(client):
    make_kind()
    client.force_login(make_editor())

    response = client.post(
        reverse("wall_kinds:add"),
        {"name": "建议", "slug": "suggestion", "entry_label": "我有建议要提交", "description": "", "sort_order": 0},
    )
    client.post(
        reverse("wall_kinds:edit", args=[Kind.objects.get(slug="question").pk]),
        {"name": "咨询", "slug": "question", "entry_label": "我有问题要咨询", "description": "", "sort_order": 2},
    )

    assert response.status_code == 302
    assert [kind.slug for kind in Kind.objects.all()] == ["suggestion", "question"]
    assert [kind.slug for kind in client.get(reverse("wall_kinds:index")).context["object_list"]] == [
        "suggestion",
        "question",
    ]


def test_it_adds_a_category_with_a_default_unit(client):
    unit = make_unit()
    client.force_login(make_editor())

    response = client.post(
        reverse("wall_categories:add"), {"name": "环境治理", "default_unit": unit.pk, "sort_order": 0}
    )

    assert response.status_code == 302
    assert Category.objects.get(name="环境治理").default_unit == unit


def test_it_adds_a_unit_with_its_handlers(client):
    handler = make_user(groups=["信息员"])
    client.force_login(make_editor())

    response = client.post(
        reverse("wall_units:add"),
        {
            "name": "图书馆",
            "type": Unit.Type.DEPARTMENT,
            "description": "",
            "handlers": [handler.pk],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert list(Unit.objects.get(name="图书馆").handlers.all()) == [handler]


def test_it_offers_only_staff_as_handlers(client):
    staff = make_user(groups=["信息员"])
    poster = make_user()
    client.force_login(make_editor())

    field = client.get(reverse("wall_units:add")).context["form"].fields["handlers"]

    assert staff in field.queryset
    assert poster not in field.queryset


def test_it_refuses_a_poster_as_handler(client):
    poster = make_user()
    client.force_login(make_editor())

    response = client.post(
        reverse("wall_units:add"),
        {"name": "图书馆", "type": Unit.Type.DEPARTMENT, "handlers": [poster.pk], "is_active": "on"},
    )

    assert response.status_code == 200
    assert not Unit.objects.filter(name="图书馆").exists()


def test_it_keeps_a_current_handler_who_lost_admin_access(client):
    unit = make_unit()
    former_staff = make_user(units=[unit])
    client.force_login(make_editor())

    response = client.post(
        reverse("wall_units:edit", args=[unit.pk]),
        {"name": unit.name, "type": unit.type, "handlers": [former_staff.pk], "is_active": "on"},
    )

    assert response.status_code == 302
    assert list(unit.handlers.all()) == [former_staff]


def test_editors_correct_the_working_day_calendar(client):
    client.force_login(make_editor())
    response = client.post(reverse("wall_calendar:add"), {"date": "2031-03-01", "is_workday": "on", "note": "调休"})
    assert response.status_code == 302
    assert clock.is_workday(date(2031, 3, 1))


def test_editors_change_the_handling_rules(client):
    client.force_login(make_editor())
    url = client.get(reverse("wagtailsettings:edit", args=["cases", "handlingsettings"])).url
    data = {
        "screening_hours": 6,
        "reply_hours": 12,
        "resolve_workdays": 5,
        "global_escalation_workdays": 2,
        "leader_escalation_workdays": 3,
        "max_transfers": 2,
        "reopen_at_or_below": 2,
        "digest_hour": 8,
        "urgent_reply_hours": 1,
        "urgent_resolve_workdays": 2,
        "return_visit_days": 7,
        "return_visit_percent": 30,
    }
    assert client.post(url, data).status_code == 302
    rules = HandlingSettings.load()
    assert (rules.screening_hours, rules.reply_hours, rules.return_visit_days, rules.return_visit_percent) == (
        6,
        12,
        7,
        30,
    )


def test_the_settings_lists_speak_the_staffs_language(client):
    make_unit("后勤管理处")
    make_unit("旧校区办公室", is_active=False)
    client.force_login(make_editor())

    cells = "".join(client.get(reverse("wall_units:index")).content.decode().split())
    assert ">是<" in cells  # 后勤管理处 is active
    assert ">否<" in cells
    assert ">True<" not in cells

    empty_calendar = client.get(reverse("wall_calendar:index")).content.decode()
    assert "There are no" not in empty_calendar
    assert "暂无内容" in empty_calendar


def test_an_editor_lets_a_kinds_unit_see_the_posters_contact(client):
    kind = make_kind("报修", "repair")
    client.force_login(make_editor())
    form = client.get(reverse("wall_kinds:edit", args=[kind.pk])).content.decode()
    assert 'name="contact_for_handlers"' in form
