"""What a visitor types finds the right post first, on every backend: the search page ranks by the
same scorer as the similar box, over every matching post, and words typed apart raise a post that
has them all without hiding one that has some."""

import pytest

from tests.factories import make_accepted_post, make_editor, make_handler, make_unit
from tests.search_backends import each_backend, elasticsearch_server, found, search, similar  # noqa: F401
from wall.publishing import publish_many


@pytest.fixture
def people():
    unit = make_unit("后勤管理处")
    return make_editor(), make_handler(unit), unit


@pytest.fixture
def publish(each_backend, people, django_capture_on_commit_callbacks):  # noqa: F811
    editor, handler, unit = people

    def publish(title, body="详情见标题。", reply=None):
        with django_capture_on_commit_callbacks(execute=True):
            post = make_accepted_post(editor, unit, title=title, body=body)
            if reply:
                post.reply(handler, reply, is_public=True)
            post.publish(editor)
        post.refresh_from_db()
        return post.page_id

    return publish


def test_words_typed_apart_raise_a_post_with_all_of_them_and_keep_those_with_some(publish):
    both = publish("寝室空调不制冷")
    air = publish("教室空调太冷")
    room = publish("寝室门锁坏了")
    publish("图书馆开放时间")
    results = search("寝室 空调")
    assert [hit.page_id for hit in results.hits][0] == both
    assert {hit.page_id for hit in results.hits} == {both, air, room}
    assert results.total == 3


def test_an_old_exact_answer_outranks_many_newer_partial_matches(publish, people, django_capture_on_commit_callbacks):
    editor, _, unit = people
    exact = publish("校园网断网怎么办", reply="宿舍区校园网每晚 0 点断网，可在网络中心申请延时。")
    with django_capture_on_commit_callbacks(execute=True):
        newer = [
            make_accepted_post(editor, unit, title=f"校园活动第{n}期报名", body="请问校园活动怎么报名？")
            for n in range(600)
        ]
        publish_many(newer)
    results = search("校园网 断网")
    assert results.hits[0].page_id == exact
    assert results.total == 601  # every post that has one of the words counts


def test_a_post_found_only_by_its_public_reply_is_found(publish):
    answered = publish("宿舍楼的问题", reply="热水已修好")
    publish("图书馆开放时间")
    assert found("热水") == [answered]


def test_the_page_and_the_similar_box_agree_on_the_best_answer(publish):
    best = publish("食堂饭菜价格上涨明显", body="二食堂套餐从12元涨到15元。")
    publish("食堂窗口太少", body="中午排队很久")
    publish("宿舍热水不稳定")
    for query in ("食堂 涨价", "食堂饭菜又涨价了"):
        assert found(query)[0] == best
        assert similar(query)[0] == best
