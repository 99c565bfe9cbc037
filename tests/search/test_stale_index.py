"""While the index lags the wall — a write that failed or has not run yet — a visitor sees the wall as
it is: a withdrawn post is not shown, a redacted one shows its new words only, on the search page and
in the similar box, on every backend.

The lag is real here: the editor's change runs outside captured on-commit callbacks, so the index
never hears of it. And the lag ends: a write that failed is written again by the tick.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError
from django.utils import timezone

from cases.escalation import tick
from cases.models import Post
from search.models import PageChange
from tests.search_backends import found, search

SIMILAR = "/api/v1/similar"
NAME = "张三丰"


@pytest.fixture
def named(publish, people):
    """A post whose public title names a person, on the wall and in the index."""
    page_id = publish(f"{NAME}宿舍热水器坏了", body=f"{NAME}住三号楼，热水器坏了。", reply="已派人维修。")
    return Post.objects.get(page_id=page_id)


def test_a_redaction_the_index_missed_shows_the_new_words_only(client, named, people):
    editor = people[0]
    named.edit_public_text(editor, "宿舍热水器坏了", "三号楼热水器坏了。", show_photos=False)

    page = client.get("/search/", {"q": "宿舍热水器"})
    similar = client.get(SIMILAR, {"q": "宿舍热水器坏了"}).json()["results"]

    html = page.content.decode()
    assert named.page.url in html and NAME not in html
    assert [hit.title for hit, _ in page.context["results"]] == ["宿舍热水器坏了"]
    shown = [(result["title"], result["excerpt"]) for result in similar]
    assert shown == [("宿舍热水器坏了", "三号楼热水器坏了。 已派人维修。")]


def test_a_withdrawal_the_index_missed_shows_nothing_of_the_post(client, named, people):
    named.unpublish(people[0])

    page = client.get("/search/", {"q": "宿舍热水器"})
    similar = client.get(SIMILAR, {"q": "宿舍热水器坏了"}).json()["results"]

    assert page.context["results"] == [] and NAME not in page.content.decode()
    assert similar == []


def test_near_identical_posts_are_grouped_from_the_live_ones_only(client, publish, people):
    """A withdrawn leader neither hides its live twin nor adds to its 同类诉求 count."""
    answered = publish("三号楼宿舍热水器坏了", reply="已派人维修。")
    twin = publish("三号楼宿舍热水器坏了！")
    Post.objects.get(page_id=answered).unpublish(people[0])

    page = client.get("/search/", {"q": "三号楼热水器"})
    similar = client.get(SIMILAR, {"q": "三号楼宿舍热水器坏了"}).json()["results"]

    assert [(hit.page_id, hit.alike) for hit, _ in page.context["results"]] == [(twin, ())]
    assert [(result["id"], result["alike"]) for result in similar] == [(twin, 0)]


def test_a_withdrawal_the_index_failed_to_write_is_written_by_the_tick(
    each_backend, publish, people, monkeypatch, django_capture_on_commit_callbacks
):
    page_id = publish("宿舍热水器坏了")

    def busy(page_id):
        raise OperationalError("database is locked")

    monkeypatch.setattr(each_backend, "remove", busy)
    post = Post.objects.get(page_id=page_id)
    with django_capture_on_commit_callbacks(execute=True):
        post.unpublish(people[0])
    assert found("热水器") == [page_id]  # still counted by the index, though no visitor sees it
    later = timezone.now() + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        assert tick()["search index writes still failing"] == 1
    monkeypatch.undo()  # the database is free again
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        assert tick()["search index writes caught up"] == 1
    assert found("热水器") == [] and search("热水器").total == 0
    assert PageChange.objects.get(page_id=page_id).indexed
