"""常用答复 (#20.9): a handler starts from a canned reply of their unit or of every unit, for the
post's category or any, and edits it before sending."""

import re

from django.urls import reverse

from cases.models import CannedReply
from tests.factories import make_accepted_post, make_category, make_editor, make_handler, make_unit


def test_a_handler_is_offered_the_canned_replies_that_fit_the_post_and_can_send_an_edited_one(client):
    editor, logistics, library = make_editor(), make_unit("后勤管理处"), make_unit("图书馆")
    dorms, teaching = make_category("后勤保障"), make_category("教学管理")
    handler = make_handler(logistics)
    post = make_accepted_post(editor, logistics, category=dorms)
    ours = CannedReply.objects.create(title="已派维修", body="已派维修师傅上门。", unit=logistics, category=dorms)
    everyones = CannedReply.objects.create(title="感谢反映", body="感谢您的反映，我们会尽快处理。")
    CannedReply.objects.create(title="图书馆的", body="请到总服务台。", unit=library)
    CannedReply.objects.create(title="教学的", body="请联系任课教师。", category=teaching)
    client.force_login(handler)

    content = client.get(reverse("cases_admin:post", args=[post.pk])).content.decode()
    offered = re.findall(r'<option value="(\d+)" data-body="([^"]*)"', content)
    assert sorted(offered) == sorted([(str(ours.pk), ours.body), (str(everyones.pk), everyones.body)])
    assert "js/canned_replies.js" in content

    form = {"reply-canned": ours.pk, "reply-body": "已派维修师傅明早上门。", "reply-is_public": "on"}
    client.post(reverse("cases_admin:reply", args=[post.pk]), form)
    assert [reply.body for reply in post.replies.all()] == ["已派维修师傅明早上门。"]  # as edited


def test_without_canned_replies_the_reply_form_is_as_before(client):
    editor, unit = make_editor(), make_unit()
    post = make_accepted_post(editor, unit)
    client.force_login(make_handler(unit))
    content = client.get(reverse("cases_admin:post", args=[post.pk])).content.decode()
    assert "data-canned-replies" not in content and "js/canned_replies.js" not in content
