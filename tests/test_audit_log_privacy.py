"""Wagtail's site history lists every log entry to anyone with any permission on its model: a post's
entries carry its number, never its (possibly private) title, so a unit supervisor learns nothing of
other units' posts there."""

from django.urls import reverse

from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user


def test_the_site_history_shows_no_posts_title(client):
    watched, other, editor = make_unit("后勤管理处"), make_unit("保卫处"), make_editor()
    secret = make_accepted_post(editor, other, title="MKHISTORYTITLE 宿舍被盗", wants_public=False)
    secret.reply(make_handler(other), "已报警。", is_public=False)
    supervisor = make_user(groups=["督查员"])
    watched.supervisors.add(supervisor)
    client.force_login(supervisor)

    page = client.get(reverse("wagtailadmin_reports:site_history"))
    export = client.get(reverse("wagtailadmin_reports:site_history"), {"export": "csv"})

    assert page.status_code == export.status_code == 200
    for response in (page, export):
        content = b"".join(response) if response.streaming else response.content
        assert b"MKHISTORYTITLE" not in content


def test_the_case_file_still_shows_its_trail_to_those_who_may_see_the_post(client):
    unit, editor = make_unit("后勤管理处"), make_editor()
    post = make_accepted_post(editor, unit, title="三号楼热水不热")
    client.force_login(editor)
    content = client.get(reverse("cases_admin:post", args=[post.pk])).content.decode()
    assert "三号楼热水不热" in content
    assert "已受理并分派" in content
