"""The wall teaches the thesaurus: visitors whose own words led them to an answer under other words
("我的问题已解决") propose a pair of synonyms, which editors accept or reject; nothing is taken in
silently, and no visitor's identity is kept."""

from django.test import Client
from django.urls import reverse

from cases.models import AnswerReused
from search.backends import get_backend
from search.models import SynonymSet
from tests.factories import make_editor, make_handler, make_replied_post, make_unit


def spared(post, wording, client=None):
    """A visitor who typed wording pressed "我的问题已解决" beside post."""
    return (client or Client()).post(reverse("wall:answer_reused", args=[post.page_id]), {"wording": wording})


def test_two_visitors_words_become_a_proposal_and_an_accepted_one_a_synonym(django_capture_on_commit_callbacks):
    SynonymSet.objects.all().delete()  # a campus without a thesaurus yet
    unit, editor = make_unit("后勤管理处"), make_editor()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_replied_post(editor, make_handler(unit), unit, title="宿舍空调不制冷")
        post.publish(editor)
    post.refresh_from_db()
    assert get_backend().search("寝室").hits == []

    spared(post, "寝室空调不制冷")
    staff = Client()
    staff.force_login(editor)
    url = reverse("search_synonym_proposals")
    assert "<strong>宿舍 / 寝室</strong>" not in staff.get(url).content.decode()  # one visitor could be a slip
    spared(post, "寝室空调不制冷了")
    page = staff.get(url).content.decode()
    assert "<strong>宿舍 / 寝室</strong>" in page and "寝室空调不制冷" in page
    assert not SynonymSet.objects.exists()  # proposed, not taken

    staff.post(url, {"first": "宿舍", "second": "寝室", "decision": "accept"})
    assert SynonymSet.objects.get().is_active
    assert [hit.page_id for hit in get_backend().search("寝室").hits] == [post.page_id]
    assert "<strong>宿舍 / 寝室</strong>" not in staff.get(url).content.decode()


def test_a_rejected_pair_is_not_proposed_again(django_capture_on_commit_callbacks):
    unit, editor = make_unit("后勤管理处"), make_editor()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_replied_post(editor, make_handler(unit), unit, title="三号楼热水不热")
        post.publish(editor)
    post.refresh_from_db()
    for _ in range(2):
        spared(post, "五号楼热水不热")  # another building: not a synonym
    staff = Client()
    staff.force_login(editor)
    url = reverse("search_synonym_proposals")
    staff.post(url, {"first": "三号", "second": "五号", "decision": "reject"})
    assert not SynonymSet.objects.get(words="三号/五号").is_active
    assert "<strong>三号 / 五号</strong>" not in staff.get(url).content.decode()


def test_only_editors_see_and_decide_proposals(django_capture_on_commit_callbacks):
    SynonymSet.objects.all().delete()
    unit, editor = make_unit("后勤管理处"), make_editor()
    handler = make_handler(unit)
    with django_capture_on_commit_callbacks(execute=True):
        post = make_replied_post(editor, handler, unit, title="宿舍空调不制冷")
        post.publish(editor)
    post.refresh_from_db()
    spared(post, "寝室空调不制冷")
    spared(post, "寝室空调不制冷了")  # a proposal now
    url = reverse("search_synonym_proposals")

    client = Client()
    client.force_login(handler)
    assert client.get(url).status_code in (302, 403)
    client.post(url, {"first": "宿舍", "second": "寝室", "decision": "accept"})

    assert not SynonymSet.objects.exists()
    client.force_login(editor)
    assert "<strong>宿舍 / 寝室</strong>" in client.get(url).content.decode()  # still waiting for an editor


def test_an_unproposed_pair_cannot_be_slipped_in(client):
    editor = make_editor()
    client.force_login(editor)
    client.post(reverse("search_synonym_proposals"), {"first": "宿舍", "second": "食堂", "decision": "accept"})
    assert not SynonymSet.objects.filter(words="宿舍/食堂").exists()


def test_the_visitors_title_is_kept_but_not_who_they_are(django_capture_on_commit_callbacks):
    unit, editor = make_unit(), make_editor()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_replied_post(editor, make_handler(unit), unit, title="宿舍空调不制冷")
        post.publish(editor)
    post.refresh_from_db()
    spared(post, "寝室空调不制冷" + "很" * 200)
    reuse = AnswerReused.objects.get()
    assert reuse.wording.startswith("寝室空调不制冷") and len(reuse.wording) == 100
    assert {field.name for field in AnswerReused._meta.get_fields()} == {"id", "post", "created_at", "wording"}
