"""Places (地点): a list editors keep, an optional place on each post, the staff's filter by place, and
hot topics by place (区域性) and by season at a place (季节性)."""

import html
import re
from datetime import datetime

import time_machine
from django.urls import reverse

from cases.models import Place, Post
from stats import periods
from tests.factories import make_accepted_post, make_editor, make_unit, make_user
from tests.test_submit import form_data

SH = periods.LOCAL
HOT_TOPICS = reverse("stats_admin:hot_topics")


def _places():
    return [Place.objects.create(name=name, sort_order=n) for n, name in enumerate(["图书馆", "三号宿舍楼", "旧食堂"])]


def test_the_form_offers_the_places_kept_and_stores_the_one_chosen(client):
    assert 'name="place"' not in client.get(reverse("wall:submit")).content.decode()  # no list kept yet
    library, dorm, canteen = _places()
    canteen.is_active = False
    canteen.save()
    page = client.get(reverse("wall:submit")).content.decode()
    assert "图书馆" in page and "三号宿舍楼" in page and "旧食堂" not in page
    assert client.post(reverse("wall:submit"), form_data(place=library.pk)).status_code == 302
    assert Post.objects.get().place == library
    assert client.post(reverse("wall:submit"), form_data(title="没有地点的诉求")).status_code == 302  # optional
    assert Post.objects.get(title="没有地点的诉求").place is None


def test_staff_filter_the_posts_by_place(client):
    library, dorm, _canteen = _places()
    editor, unit = make_editor(), make_unit("后勤管理处")
    make_accepted_post(editor, unit, title="图书馆空调太冷", place=library)
    make_accepted_post(editor, unit, title="宿舍热水不热", place=dorm)
    client.force_login(editor)
    page = client.get(reverse("cases_admin:posts"), {"place": library.pk}).content.decode()
    assert "图书馆空调太冷" in page and "宿舍热水不热" not in page


def test_hot_topics_by_place_and_a_places_seasons(client):
    library, dorm, _canteen = _places()
    editor, unit = make_editor(), make_unit("后勤管理处")
    for year, titles in ((2025, ["图书馆空调太冷"]), (2026, ["图书馆空调不制冷", "图书馆座位不够"])):
        with time_machine.travel(datetime(year, 3, 2, 10, tzinfo=SH), tick=False):
            for title in titles:
                make_accepted_post(editor, unit, title=title, body="自习室里很难受", place=library)
    with time_machine.travel(datetime(2026, 3, 3, 10, tzinfo=SH), tick=False):
        make_accepted_post(editor, unit, title="宿舍热水不热", body="洗澡没有热水", place=dorm)
        make_accepted_post(editor, unit, title="热水时冷时热", body="洗澡的热水不稳定", place=dorm)
        make_accepted_post(editor, unit, title="校园网太慢", body="晚上上不了网")  # no place
    client.force_login(make_user(groups=["校领导"]))
    with time_machine.travel(datetime(2026, 4, 10, tzinfo=SH), tick=False):
        content = client.get(HOT_TOPICS + "?kind=month&day=2026-03-10").content.decode()
        table = content[content.index("data-places") : content.index("</table>", content.index("data-places"))]
        rows = re.findall(r'<a href="([^"]+)">([^<]+)</a></th><td>(\d+)</td><td>([^<]*)</td>', table)
        assert [(name, count) for _url, name, count, _words in rows] == [("图书馆", "2"), ("三号宿舍楼", "2")]
        assert set(rows[0][3].split("、")) == {"图书馆", "自习室", "难受"}  # the words in both of its posts
        assert {"热水", "洗澡"} <= set(rows[1][3].split("、"))  # in both of the dorm's posts
        at_library = client.get(html.unescape(rows[0][0])).content.decode()
    assert "宿舍" not in at_library[at_library.index("<tbody>") : at_library.index("</tbody>")]  # the library's words
    seasons = at_library[at_library.index('class="listing seasons"') :]
    assert '<tr><th scope="row">3</th><td>0</td><td>0</td><td>0</td><td>1</td><td>2</td></tr>' in seasons


def test_editors_keep_the_list_of_places(client):
    client.force_login(make_editor())
    response = client.post(
        reverse("wall_places:add"), {"name": "图书馆", "name_en": "Library", "is_active": "on", "sort_order": 1}
    )
    assert response.status_code == 302
    assert Place.objects.get().name == "图书馆"
    client.force_login(make_user(groups=["信息员"]))
    assert client.get(reverse("wall_places:add")).status_code in (302, 403)
