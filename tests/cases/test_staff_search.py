"""The staff's case search: the admin's own search box finds the posts a user may open, by number,
tracking code or words over title, text and replies (private ones too: staff see them)."""

import re

from django.urls import reverse

from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user

POSTS_URL = reverse("cases_admin:posts")


def _found(client, query):
    content = client.get(POSTS_URL, {"q": query}).content.decode()
    return sorted(int(pk) for pk in re.findall(r'href="/admin/wall/posts/(\d+)/"', content))


def test_a_handler_finds_their_units_posts_by_words_in_title_text_and_replies(client):
    editor = make_editor()
    logistics, library = make_unit("后勤管理处"), make_unit("图书馆")
    handler = make_handler(logistics)
    by_title = make_accepted_post(editor, logistics, title="三号楼热水忽冷忽热", body="洗澡时水温不稳定，请检修。")
    by_reply = make_accepted_post(editor, logistics, title="洗澡问题", body="水温一会儿高一会儿低。")
    by_reply.reply(handler, "已安排维修师傅周三上门更换恒温阀。", is_public=False)
    make_accepted_post(editor, library, title="阅览室热水器坏了", body="二楼热水器不出热水。")  # another unit's
    client.force_login(handler)

    assert _found(client, "热水") == [by_title.pk]
    assert _found(client, "恒温阀") == [by_reply.pk]  # the private reply's words
    assert _found(client, "三号楼 检修") == [by_title.pk]  # every word, wherever it is
    assert _found(client, "三号楼 图书") == []


def test_staff_find_a_post_by_its_number_or_tracking_code(client):
    editor = make_editor()
    unit = make_unit()
    post = make_accepted_post(editor, unit)
    make_accepted_post(editor, unit, title="另一条诉求的标题", body="与上一条无关的内容，编号不同。")
    client.force_login(editor)

    assert _found(client, str(post.pk)) == [post.pk]
    assert _found(client, f"#{post.pk}") == [post.pk]
    assert _found(client, post.tracking_code.lower()) == [post.pk]


def test_the_admin_search_box_searches_posts_for_staff_without_page_permissions(client):
    handler = make_handler(make_unit())
    client.force_login(handler)
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'"wagtail.sidebar.SearchModule", "_args": ["{POSTS_URL}"]' in content
    assert client.get(POSTS_URL, {"q": "热水"}).status_code == 200


def test_the_search_is_refused_to_users_who_are_not_staff(client):
    client.force_login(make_user(groups=["信息员"]))
    assert client.get(POSTS_URL, {"q": "热水"}).status_code in (302, 403)


def test_the_dashboards_search_box_searches_posts_for_staff(client):
    client.force_login(make_handler(make_unit()))
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'action="{POSTS_URL}"' in dashboard
    assert "Search all pages" not in dashboard
