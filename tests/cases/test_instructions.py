"""批示: a leader instructs the unit on a post; the unit sees it, must answer, and the leader hears back."""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse

from cases.admin_forms import UnitForm
from cases.models import Post, TransitionError
from cases.wagtail_hooks import WallQueuesPanel
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user


@pytest.fixture
def unit():
    return make_unit("后勤管理处")


@pytest.fixture
def leader():
    return make_user(groups=["校领导"], email="leader@example.edu")


def _count(user):
    return WallQueuesPanel().get_context_data({"request": SimpleNamespace(user=user)})["instruction_count"]


def test_a_leader_instructs_the_unit_answers_and_the_leader_hears_back(
    client, unit, leader, django_capture_on_commit_callbacks
):
    handler = make_handler(unit, email="houqin@example.edu")
    post = make_accepted_post(make_editor(), unit, title="东门路灯不亮")
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases_admin:instruct", args=[post.pk]), {"instruct-body": "请本周内修好并报告"})
    assert [message.to for message in mail.outbox] == [["houqin@example.edu"]]
    assert "请本周内修好并报告" in mail.outbox[0].body
    assert _count(handler) == 1

    client.force_login(handler)
    case_file = client.get(reverse("cases_admin:post", args=[post.pk]))
    assert "请本周内修好并报告" in case_file.content.decode() and "answer_instruction" in case_file.context["actions"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases_admin:answer_instruction", args=[post.pk]), {"answer-body": "已更换灯具"})

    instruction = post.instructions.get()
    assert (instruction.answer, instruction.answered_by) == ("已更换灯具", handler)
    assert [message.to for message in mail.outbox] == [["leader@example.edu"]]
    assert leader.inbox.filter(event="instruction_answered").exists()
    assert _count(handler) == 0


def test_an_empty_instruction_or_one_on_a_closed_post_is_refused(unit, leader):
    post = make_accepted_post(make_editor(), unit)
    with pytest.raises(TransitionError):
        post.instruct(leader, "  ")
    Post.objects.filter(pk=post.pk).update(status=Post.Status.CLOSED)
    post.refresh_from_db()
    assert not post.can_instruct(leader)


def test_only_leaders_can_be_a_units_vice_president(unit, leader):
    make_user(groups=["督查员"])
    make_handler(unit)
    assert list(UnitForm(instance=unit).fields["vice_president"].queryset) == [leader]
