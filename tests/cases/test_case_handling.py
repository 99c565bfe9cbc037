"""Transfer (首接负责), re-assignment, co-handling (部门联办), notes, key supervision, return visits and
reopening on an unsatisfied rating."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cases.models import HandlingSettings, Post, ReturnVisit, Transfer, TransitionError
from tests.factories import (
    make_accepted_post,
    make_category,
    make_editor,
    make_handler,
    make_kind,
    make_replied_post,
    make_unit,
    make_user,
)


@pytest.fixture
def units():
    return make_unit("后勤管理处"), make_unit("保卫处"), make_unit("教务处")


@pytest.fixture
def editor():
    return make_editor()


def test_a_handler_transfers_with_a_reason_and_the_clock_restarts(editor, units):
    logistics, security, _ = units
    post = make_accepted_post(editor, logistics)
    old_due = post.resolution_due_at
    assert post.transfer(make_handler(logistics), security, "属于校园安全，请保卫处处理")
    post.refresh_from_db()
    assert post.unit == security and post.transfer_count == 1
    assert post.resolution_due_at >= old_due
    transfer = post.transfers.get()
    assert (transfer.from_unit, transfer.to_unit, transfer.kind) == (logistics, security, Transfer.Kind.TRANSFER)


def test_it_refuses_a_transfer_without_a_reason(editor, units):
    logistics, security, _ = units
    post = make_accepted_post(editor, logistics)
    with pytest.raises(TransitionError):
        post.transfer(make_handler(logistics), security, " ")
    assert Post.objects.get(pk=post.pk).unit == logistics


def test_only_the_holding_unit_transfers(editor, units):
    logistics, security, academic = units
    post = make_accepted_post(editor, logistics)
    with pytest.raises(PermissionDenied):
        post.transfer(make_handler(security), academic, "不是我们的")


def test_past_the_limit_a_transfer_goes_to_the_global_supervisors(editor, units):
    logistics, security, academic = units
    rules = HandlingSettings.load()
    rules.max_transfers = 1
    rules.save()
    post = make_accepted_post(editor, logistics)
    assert post.transfer(make_handler(logistics), security, "保卫处负责")
    assert not post.transfer(make_handler(security), academic, "还是教务处吧")
    post.refresh_from_db()
    assert post.unit == security  # it stays where it is: no passing the ball
    assert post.escalation == Post.Escalation.GLOBAL
    assert post.transfers.last().kind == Transfer.Kind.REFUSED


def test_a_supervisor_reassigns_within_the_units_they_watch(editor, units):
    logistics, security, academic = units
    supervisor = make_user(groups=["督查员"])
    logistics.supervisors.add(supervisor)
    security.supervisors.add(supervisor)
    post = make_accepted_post(editor, logistics)
    post.reassign(supervisor, security, "保卫处牵头")
    assert Post.objects.get(pk=post.pk).unit == security
    with pytest.raises(PermissionDenied):
        post.reassign(supervisor, academic, "教务处不归我管")


def test_a_global_supervisor_reassigns_anywhere_and_marks_key_supervision(editor, units):
    logistics, _, academic = units
    boss = make_user(groups=["全局督办员"])
    post = make_accepted_post(editor, logistics)
    post.reassign(boss, academic, "统筹安排")
    post.set_key_supervision(boss, True)
    post.refresh_from_db()
    assert post.unit == academic and post.is_key_supervision
    assert post.transfer_count == 0  # a re-assignment is not a unit passing the ball


def test_only_global_supervisors_mark_key_supervision(editor, units):
    post = make_accepted_post(editor, units[0])
    with pytest.raises(PermissionDenied):
        post.set_key_supervision(editor, True)


def test_co_units_reply_and_note_but_only_the_lead_answers_and_closes(editor, units):
    logistics, security, _ = units
    lead, co = make_handler(logistics), make_handler(security)
    post = make_accepted_post(editor, logistics)
    post.add_co_units(lead, [security])
    reply = post.reply(co, "保卫处已加强夜间巡逻", is_public=True)
    assert reply.unit == security
    post.refresh_from_db()
    # A co-unit's reply is its contribution: the post still awaits the lead unit's (see test_rates).
    assert (post.status, post.first_replied_at) == (Post.Status.ACCEPTED, None)
    post.add_note(co, "需要后勤配合装灯")
    post.reply(lead, "已在小路加装路灯", is_public=True)
    assert Post.objects.get(pk=post.pk).status == Post.Status.REPLIED
    with pytest.raises(PermissionDenied):
        post.close(co)
    post.close(lead)
    assert Post.objects.get(pk=post.pk).status == Post.Status.CLOSED
    assert post in Post.objects.visible_to(co)


def test_outsiders_cannot_ask_for_co_handling_or_note(editor, units):
    logistics, security, academic = units
    post = make_accepted_post(editor, logistics)
    outsider = make_handler(academic)
    with pytest.raises(PermissionDenied):
        post.add_co_units(outsider, [security])
    with pytest.raises(PermissionDenied):
        post.add_note(outsider, "路过")


def test_cannot_solve_now_still_counts_as_a_reply(editor, units):
    logistics = units[0]
    post = make_accepted_post(editor, logistics)
    planned = timezone.localdate() + timedelta(days=90)
    reply = post.reply(
        make_handler(logistics), "需要明年预算，暂时无法解决", is_public=True, cannot_solve=True, solve_by=planned
    )
    post.refresh_from_db()
    assert reply.cannot_solve and post.status == Post.Status.REPLIED and post.first_replied_at


def test_an_unsatisfied_rating_reopens_to_the_same_unit(editor, units):
    logistics = units[0]
    post = make_replied_post(editor, make_handler(logistics), logistics)
    post.rate(3, 2, 1, "根本没修")
    post.refresh_from_db()
    assert post.status == Post.Status.REOPENED and post.unit == logistics and post.round == 2
    assert post.follow_ups.get(reopens=True).body == "根本没修"


def test_a_satisfied_rating_does_not_reopen(editor, units):
    logistics = units[0]
    post = make_replied_post(editor, make_handler(logistics), logistics)
    post.rate(5, 5, 3)
    assert Post.objects.get(pk=post.pk).status == Post.Status.REPLIED


def test_a_return_visit_that_finds_it_unsolved_reopens(editor, units):
    logistics = units[0]
    handler = make_handler(logistics)
    post = make_replied_post(editor, handler, logistics)
    post.close(handler)
    post.record_return_visit(editor, ReturnVisit.Outcome.UNSOLVED, "电话回访：仍然漏水")
    assert Post.objects.get(pk=post.pk).status == Post.Status.REOPENED
    assert not post.follow_ups.exists()  # the editor's note is not shown as the poster's words


def test_return_visits_are_for_editors_on_closed_posts(editor, units):
    logistics = units[0]
    handler = make_handler(logistics)
    post = make_replied_post(editor, handler, logistics)
    with pytest.raises(TransitionError):
        post.record_return_visit(editor, ReturnVisit.Outcome.SOLVED)
    post.close(handler)
    with pytest.raises(PermissionDenied):
        post.record_return_visit(handler, ReturnVisit.Outcome.SOLVED)


# -- correcting the routing: not a transfer --------------------------------------------------------


def test_an_editor_corrects_kind_category_and_unit_without_a_transfer(editor, units):
    logistics, security, _ = units
    wrong = make_accepted_post(editor, logistics)
    repair, network = make_kind("报修", "repair"), make_category("网络")
    with time_machine.travel(timezone.now() + timedelta(hours=20), tick=False):
        wrong.correct_routing(editor, repair, network, security)
        corrected_at = timezone.now()
    post = Post.objects.get(pk=wrong.pk)
    assert (post.kind, post.category, post.unit) == (repair, network, security)
    assert (post.transfer_count, post.transfers.count()) == (0, 0)  # no transfer, none against the limit
    assert post.reply_due_at > corrected_at  # the right unit gets a deadline of its own
    assert post in Post.objects.handled_by(make_handler(security)).awaiting_reply()
    assert post not in Post.objects.handled_by(make_handler(logistics))


def test_handlers_do_not_correct_routing_and_an_answered_post_keeps_its_unit(editor, units):
    logistics, security, _ = units
    handler = make_handler(logistics)
    post = make_accepted_post(editor, logistics)
    with pytest.raises(PermissionDenied):
        post.correct_routing(handler, post.kind, post.category, security)
    post.reply(handler, "已处理", is_public=True)
    with pytest.raises(TransitionError):
        post.correct_routing(editor, post.kind, post.category, security)
    post.correct_routing(editor, post.kind, make_category("网络"), logistics)  # its category still may
    assert Post.objects.get(pk=post.pk).category.name == "网络"
