"""Near-identical posts show as one result, the answered one first, in the search page and the similar
box; another building's same problem is another result."""

from django.urls import reverse

from search.backends.base import Hit
from search.grouping import grouped
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit


def hit(page_id, title, status="accepted"):
    return Hit(page_id, 1.0, f"/wall/{page_id}/", title, status)


def test_near_identical_titles_are_one_result_led_by_an_answered_one():
    hits = [
        hit(1, "三号楼热水不热"),
        hit(2, "三号楼热水不热！", "replied"),
        hit(3, "五号楼热水不热"),
        hit(4, "三号楼 热水不热"),
    ]
    result = grouped(hits)
    assert [(h.page_id, h.alike) for h in result] == [(2, (1, 4)), (3, ())]


def test_nothing_is_merged_when_titles_differ():
    hits = [hit(1, "食堂饭菜太贵"), hit(2, "食堂饭菜不卫生"), hit(3, "图书馆座位不够")]
    assert grouped(hits) == hits


def test_the_search_page_and_the_similar_api_show_alike_posts_once(client, django_capture_on_commit_callbacks):
    unit, editor = make_unit("信息化建设与管理处"), make_editor()
    handler = make_handler(unit)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            post = make_accepted_post(editor, unit, title="希望校园网增加低价套餐", body=f"第{n}次提出。")
            if n == 1:
                post.reply(handler, "下学期推出基础套餐。", is_public=True)
                answered = post
            post.publish(editor)
        other = make_accepted_post(editor, unit, title="校园网晚上断线", body="晚上九点以后断线。")
        other.publish(editor)

    response = client.get(reverse("search:search"), {"q": "校园网"})
    page = response.content.decode()
    assert page.count("增加低价套餐") == 1 and "同类诉求 3 条" in page
    answered.refresh_from_db()
    groups = [(hit.page_id, len(hit.alike)) for hit, _ in response.context["results"] if hit.alike]
    assert groups == [(answered.page_id, 2)]  # led by the answered one
    results = client.get("/api/v1/similar", {"q": "希望校园网增加低价套餐", "limit": 2}).json()["results"]
    assert [(r["title"], r["alike"], r["answered"]) for r in results][0] == ("希望校园网增加低价套餐", 2, True)
    assert len(results) == 2 and results[1]["title"] == "校园网晚上断线"
