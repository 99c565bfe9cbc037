"""Case handling on the case file: transfer (首接负责), co-handling (部门联办), internal notes,
re-assignment by supervisors, key supervision (重点督办) and return visits (回访)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cases.models import HandlingSettings, Post, ReturnVisit, Transfer
from tests.factories import make_accepted_post, make_editor, make_handler, make_replied_post, make_unit, make_user

ADMIN_HOME = reverse("wagtailadmin_home")
UNREPLIED_URL = reverse("cases_admin:unreplied")

HANDLING_ACTIONS = (
    "transfer",
    "co_handle",
    "note",
    "reassign",
    "mark_key_supervision",
    "unmark_key_supervision",
    "return_visit",
)


def _post(client, action, post, data=None):
    return client.post(reverse(f"cases_admin:{action}", args=[post.pk]), data or {})


def _messages(response):
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def _assert_back_on_the_post(response, post, level):
    assert response.status_code == 302
    assert response.url == reverse("cases_admin:post", args=[post.pk])
    assert [level_tag for level_tag, _text in _messages(response)] == [level]


def _assert_refused(response):
    # Wagtail's admin turns PermissionDenied into its "no permission" message and a redirect home.
    assert response.status_code == 302
    assert response.url == ADMIN_HOME


def _supervisor(*units):
    user = make_user(groups=["督查员"])
    for unit in units:
        unit.supervisors.add(user)
    return user


def _global_supervisor():
    return make_user(groups=["全局督办员"])


def _co_handled(editor, lead, co):
    """A post led by `lead` with `co` asked to co-handle it, and both units' handlers."""
    lead_handler, co_handler = make_handler(lead), make_handler(co)
    post = make_accepted_post(editor, lead)
    post.add_co_units(lead_handler, [co])
    return post, lead_handler, co_handler


@pytest.fixture
def editor():
    return make_editor()


@pytest.fixture
def units():
    return make_unit("后勤管理处"), make_unit("保卫处"), make_unit("教务处")


@pytest.mark.parametrize("action", HANDLING_ACTIONS)
def test_it_allows_only_post(client, editor, units, action):
    post = make_accepted_post(editor, units[0])
    client.force_login(editor)

    response = client.get(reverse(f"cases_admin:{action}", args=[post.pk]))

    assert response.status_code == 405


# -- transfer -----------------------------------------------------------------------------------


def test_it_transfers_to_another_unit_with_a_reason(client, editor, units):
    logistics, security, _ = units
    handler = make_handler(logistics)
    post = make_accepted_post(editor, logistics)
    client.force_login(handler)

    response = _post(client, "transfer", post, {"transfer-unit": security.pk, "transfer-reason": "属于校园安全"})

    # The post is out of the sender's reach now, so they go back to their queue.
    assert response.status_code == 302
    assert response.url == UNREPLIED_URL
    assert [level for level, _text in _messages(response)] == ["success"]
    post.refresh_from_db()
    assert (post.unit, post.transfer_count) == (security, 1)
    transfer = post.transfers.get()
    assert (transfer.kind, transfer.from_unit, transfer.by, transfer.reason) == (
        Transfer.Kind.TRANSFER,
        logistics,
        handler,
        "属于校园安全",
    )


def test_it_keeps_the_post_and_tells_the_global_supervisors_past_the_transfer_limit(client, editor, units):
    logistics, security, _ = units
    rules = HandlingSettings.load()
    rules.max_transfers = 0
    rules.save()
    post = make_accepted_post(editor, logistics)
    client.force_login(make_handler(logistics))

    response = _post(client, "transfer", post, {"transfer-unit": security.pk, "transfer-reason": "不归我们管"})

    _assert_back_on_the_post(response, post, "warning")
    post.refresh_from_db()
    assert (post.unit, post.transfer_count, post.escalation) == (logistics, 0, Post.Escalation.GLOBAL)
    assert post.transfers.get().kind == Transfer.Kind.REFUSED


def test_it_needs_a_reason_to_transfer(client, editor, units):
    logistics, security, _ = units
    post = make_accepted_post(editor, logistics)
    client.force_login(make_handler(logistics))

    response = _post(client, "transfer", post, {"transfer-unit": security.pk, "transfer-reason": ""})

    _assert_back_on_the_post(response, post, "error")
    assert Post.objects.get(pk=post.pk).unit == logistics


@pytest.mark.parametrize("target", ["same", "inactive"])
def test_it_transfers_only_to_another_active_unit(client, editor, units, target):
    logistics = units[0]
    to_unit = logistics if target == "same" else make_unit(is_active=False)
    post = make_accepted_post(editor, logistics)
    client.force_login(make_handler(logistics))

    response = _post(client, "transfer", post, {"transfer-unit": to_unit.pk, "transfer-reason": "试试"})

    _assert_back_on_the_post(response, post, "error")
    assert not post.transfers.exists()


def test_it_does_not_transfer_a_replied_post(client, editor, units):
    logistics, security, _ = units
    handler = make_handler(logistics)
    post = make_replied_post(editor, handler, logistics)
    client.force_login(handler)

    response = _post(client, "transfer", post, {"transfer-unit": security.pk, "transfer-reason": "答复后才发现"})

    _assert_back_on_the_post(response, post, "error")
    assert Post.objects.get(pk=post.pk).unit == logistics


def test_it_hides_other_units_posts_from_a_transfer(client, editor, units):
    logistics, security, academic = units
    post = make_accepted_post(editor, logistics)
    client.force_login(make_handler(academic))

    response = _post(client, "transfer", post, {"transfer-unit": security.pk, "transfer-reason": "顺手转走"})

    assert response.status_code == 404
    assert Post.objects.get(pk=post.pk).unit == logistics


def test_it_refuses_a_transfer_by_a_co_units_handler(client, editor, units):
    logistics, security, academic = units
    post, _lead, co_handler = _co_handled(editor, logistics, security)
    client.force_login(co_handler)

    response = _post(client, "transfer", post, {"transfer-unit": academic.pk, "transfer-reason": "不是牵头单位"})

    _assert_refused(response)
    assert Post.objects.get(pk=post.pk).unit == logistics


# -- co-handling --------------------------------------------------------------------------------


def test_it_asks_other_units_to_co_handle(client, editor, units):
    logistics, security, academic = units
    post = make_accepted_post(editor, logistics)
    client.force_login(make_handler(logistics))

    response = _post(client, "co_handle", post, {"co_handle-units": [security.pk, academic.pk]})

    _assert_back_on_the_post(response, post, "success")
    assert set(post.co_units.all()) == {security, academic}
    assert Post.objects.get(pk=post.pk).unit == logistics


def test_it_needs_a_unit_to_co_handle(client, editor, units):
    post = make_accepted_post(editor, units[0])
    client.force_login(make_handler(units[0]))

    response = _post(client, "co_handle", post, {})

    _assert_back_on_the_post(response, post, "error")
    assert not post.co_units.exists()


def test_it_refuses_co_handling_requests_from_a_co_units_handler(client, editor, units):
    logistics, security, academic = units
    post, _lead, co_handler = _co_handled(editor, logistics, security)
    client.force_login(co_handler)

    response = _post(client, "co_handle", post, {"co_handle-units": [academic.pk]})

    _assert_refused(response)
    assert list(post.co_units.all()) == [security]


def test_it_does_not_ask_for_co_handling_on_a_closed_post(client, editor, units):
    logistics, security, _ = units
    handler = make_handler(logistics)
    post = make_replied_post(editor, handler, logistics)
    post.close(handler)
    client.force_login(handler)

    response = _post(client, "co_handle", post, {"co_handle-units": [security.pk]})

    _assert_back_on_the_post(response, post, "error")
    assert not post.co_units.exists()


# -- what a co-unit's handler may do --------------------------------------------------------------


def test_it_lets_a_co_units_handler_reply_that_it_cannot_be_solved_now(client, editor, units):
    logistics, security, _ = units
    post, _lead, co_handler = _co_handled(editor, logistics, security)
    client.force_login(co_handler)

    response = _post(
        client,
        "reply",
        post,
        {"reply-body": "需要明年预算", "reply-cannot_solve": "on", "reply-solve_by": "2099-09-01"},
    )

    _assert_back_on_the_post(response, post, "success")
    reply = post.replies.get()
    assert (reply.unit, reply.cannot_solve, reply.is_public) == (security, True, False)
    assert Post.objects.get(pk=post.pk).status == Post.Status.ACCEPTED  # the lead unit's reply is still awaited


def test_it_lets_a_co_units_handler_add_a_note(client, editor, units):
    logistics, security, _ = units
    post, _lead, co_handler = _co_handled(editor, logistics, security)
    client.force_login(co_handler)

    response = _post(client, "note", post, {"note-body": "需要后勤配合装灯"})

    _assert_back_on_the_post(response, post, "success")
    note = post.notes.get()
    assert (note.author, note.unit, note.body) == (co_handler, security, "需要后勤配合装灯")


def test_it_refuses_closing_to_a_co_units_handler(client, editor, units):
    logistics, security, _ = units
    post, lead_handler, co_handler = _co_handled(editor, logistics, security)
    post.reply(lead_handler, "已处理", is_public=True)
    client.force_login(co_handler)

    response = _post(client, "close", post)

    _assert_refused(response)
    assert Post.objects.get(pk=post.pk).status == Post.Status.REPLIED


# -- internal notes -----------------------------------------------------------------------------


def test_it_adds_a_note_to_the_case_file(client, editor, units):
    logistics = units[0]
    handler = make_handler(logistics)
    post = make_accepted_post(editor, logistics)
    client.force_login(handler)

    _post(client, "note", post, {"note-body": "已联系维修班MARK-NOTE"})

    notes = client.get(reverse("cases_admin:post", args=[post.pk])).context["notes"]
    assert [(note.body, note.author, note.unit) for note in notes] == [("已联系维修班MARK-NOTE", handler, logistics)]


def test_it_needs_a_note_body(client, editor, units):
    post = make_accepted_post(editor, units[0])
    client.force_login(make_handler(units[0]))

    response = _post(client, "note", post, {"note-body": "  "})

    _assert_back_on_the_post(response, post, "error")
    assert not post.notes.exists()


def test_it_lets_a_supervisor_of_the_unit_add_a_note(client, editor, units):
    post = make_accepted_post(editor, units[0])
    supervisor = _supervisor(units[0])
    client.force_login(supervisor)

    response = _post(client, "note", post, {"note-body": "请今天内答复"})

    _assert_back_on_the_post(response, post, "success")
    assert post.notes.get().author == supervisor


def test_it_hides_other_units_posts_from_a_note(client, editor, units):
    post = make_accepted_post(editor, units[0])
    client.force_login(make_handler(units[2]))

    response = _post(client, "note", post, {"note-body": "路过"})

    assert response.status_code == 404
    assert not post.notes.exists()


# -- re-assignment by supervisors ----------------------------------------------------------------


def test_it_lets_a_supervisor_reassign_within_the_units_they_watch(client, editor, units):
    logistics, security, _ = units
    supervisor = _supervisor(logistics, security)
    post = make_accepted_post(editor, logistics)
    client.force_login(supervisor)

    response = _post(client, "reassign", post, {"reassign-unit": security.pk, "reassign-reason": "保卫处牵头"})

    _assert_back_on_the_post(response, post, "success")
    post.refresh_from_db()
    assert (post.unit, post.transfer_count) == (security, 0)
    assert post.transfers.get().kind == Transfer.Kind.REASSIGN


def test_it_does_not_let_a_supervisor_reassign_to_a_unit_they_do_not_watch(client, editor, units):
    logistics, _, academic = units
    post = make_accepted_post(editor, logistics)
    client.force_login(_supervisor(logistics))

    response = _post(client, "reassign", post, {"reassign-unit": academic.pk, "reassign-reason": "教务处不归我管"})

    _assert_back_on_the_post(response, post, "error")
    assert Post.objects.get(pk=post.pk).unit == logistics


def test_it_hides_unwatched_units_posts_from_a_supervisor(client, editor, units):
    logistics, security, _ = units
    post = make_accepted_post(editor, logistics)
    client.force_login(_supervisor(security))

    response = _post(client, "reassign", post, {"reassign-unit": security.pk, "reassign-reason": "拿过来"})

    assert response.status_code == 404
    assert Post.objects.get(pk=post.pk).unit == logistics


def test_it_refuses_reassigning_a_post_the_supervisor_only_handles(client, editor, units):
    logistics, security, _ = units
    # Handles logistics (so sees its posts) but supervises only security: the model must refuse.
    user = _supervisor(security)
    logistics.handlers.add(user)
    post = make_accepted_post(editor, logistics)
    client.force_login(user)

    response = _post(client, "reassign", post, {"reassign-unit": security.pk, "reassign-reason": "拿过来"})

    _assert_refused(response)
    assert Post.objects.get(pk=post.pk).unit == logistics


def test_it_lets_a_global_supervisor_reassign_anywhere(client, editor, units):
    logistics, _, academic = units
    post = make_accepted_post(editor, logistics)
    client.force_login(_global_supervisor())

    response = _post(client, "reassign", post, {"reassign-unit": academic.pk, "reassign-reason": "统筹安排"})

    _assert_back_on_the_post(response, post, "success")
    assert Post.objects.get(pk=post.pk).unit == academic


def test_it_needs_a_reason_to_reassign(client, editor, units):
    logistics, _, academic = units
    post = make_accepted_post(editor, logistics)
    client.force_login(_global_supervisor())

    response = _post(client, "reassign", post, {"reassign-unit": academic.pk, "reassign-reason": ""})

    _assert_back_on_the_post(response, post, "error")
    assert Post.objects.get(pk=post.pk).unit == logistics


def test_it_does_not_reassign_a_closed_post(client, editor, units):
    logistics, _, academic = units
    handler = make_handler(logistics)
    post = make_replied_post(editor, handler, logistics)
    post.close(handler)
    client.force_login(_global_supervisor())

    response = _post(client, "reassign", post, {"reassign-unit": academic.pk, "reassign-reason": "统筹安排"})

    _assert_back_on_the_post(response, post, "error")
    assert Post.objects.get(pk=post.pk).unit == logistics


# -- key supervision ----------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "before", "after"), [("mark", False, True), ("unmark", True, False)])
def test_it_lets_a_global_supervisor_mark_and_unmark_key_supervision(client, editor, units, action, before, after):
    post = make_accepted_post(editor, units[0], is_key_supervision=before)
    client.force_login(_global_supervisor())

    response = _post(client, f"{action}_key_supervision", post)

    _assert_back_on_the_post(response, post, "success")
    assert Post.objects.get(pk=post.pk).is_key_supervision is after


@pytest.mark.parametrize("role", ["supervisor", "editor"])
@pytest.mark.parametrize(("action", "before"), [("mark", False), ("unmark", True)])
def test_it_refuses_key_supervision_to_others(client, editor, units, role, action, before):
    post = make_accepted_post(editor, units[0], is_key_supervision=before)
    client.force_login(_supervisor(units[0]) if role == "supervisor" else editor)

    response = _post(client, f"{action}_key_supervision", post)

    _assert_refused(response)
    assert Post.objects.get(pk=post.pk).is_key_supervision is before


# -- return visits ------------------------------------------------------------------------------


def _closed(editor, unit):
    handler = make_handler(unit)
    post = make_replied_post(editor, handler, unit)
    post.close(handler)
    return post, handler


def test_it_reopens_the_post_when_a_return_visit_finds_it_unsolved(client, editor, units):
    post, _handler = _closed(editor, units[0])
    client.force_login(editor)

    response = _post(client, "return_visit", post, {"visit-outcome": "unsolved", "visit-note": "电话回访：仍然漏水"})

    _assert_back_on_the_post(response, post, "success")
    post.refresh_from_db()
    assert (post.status, post.round, post.unit) == (Post.Status.REOPENED, 2, units[0])
    visit = post.return_visits.get()
    assert (visit.outcome, visit.note) == (ReturnVisit.Outcome.UNSOLVED, "电话回访：仍然漏水")
    assert not post.follow_ups.exists()  # the editor's note is not the poster's follow-up


def test_it_records_a_solved_return_visit_and_keeps_the_post_closed(client, editor, units):
    post, _handler = _closed(editor, units[0])
    client.force_login(editor)

    response = _post(client, "return_visit", post, {"visit-outcome": "solved"})

    _assert_back_on_the_post(response, post, "success")
    assert Post.objects.get(pk=post.pk).status == Post.Status.CLOSED
    assert post.return_visits.get().outcome == ReturnVisit.Outcome.SOLVED


def test_it_needs_an_outcome_for_a_return_visit(client, editor, units):
    post, _handler = _closed(editor, units[0])
    client.force_login(editor)

    response = _post(client, "return_visit", post, {"visit-outcome": "maybe"})

    _assert_back_on_the_post(response, post, "error")
    assert not post.return_visits.exists()


def test_it_does_not_record_a_return_visit_on_an_open_post(client, editor, units):
    unit = units[0]
    post = make_replied_post(editor, make_handler(unit), unit)
    client.force_login(editor)

    response = _post(client, "return_visit", post, {"visit-outcome": "solved"})

    _assert_back_on_the_post(response, post, "error")
    assert not post.return_visits.exists()


def test_it_refuses_return_visits_to_a_handler(client, editor, units):
    post, handler = _closed(editor, units[0])
    client.force_login(handler)

    response = _post(client, "return_visit", post, {"visit-outcome": "unsolved"})

    _assert_refused(response)
    assert Post.objects.get(pk=post.pk).status == Post.Status.CLOSED


def test_key_supervision_carries_a_date_and_instructions_the_units_handler_reads(client, editor, units):
    post = make_accepted_post(editor, units[0])
    client.force_login(_global_supervisor())
    _post(client, "mark_key_supervision", post, {"key-due": "2026-03-20", "key-instructions": "本周内办结并反馈"})

    client.force_login(make_handler(units[0]))
    case_file = client.get(reverse("cases_admin:post", args=[post.pk])).content.decode()
    assert "本周内办结并反馈" in case_file
    assert Post.objects.get(pk=post.pk).key_supervision_due.isoformat() == "2026-03-20"
