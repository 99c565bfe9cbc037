"""What a visitor types finds the right post first, on every backend: the search page ranks by the
same scorer as the similar box, over every matching post, and words typed apart raise a post that
has them all without hiding one that has some."""

from tests.factories import make_accepted_post
from tests.search_backends import found, post_of, search, similar
from wall.publishing import publish_many


def test_words_typed_apart_raise_a_post_with_all_of_them_and_keep_those_with_some(publish):
    both = publish("寝室空调不制冷")
    air = publish("教室空调太冷")
    room = publish("寝室门锁坏了")
    publish("图书馆开放时间")
    results = search("寝室 空调")
    assert [hit.page_id for hit in results.hits][0] == both
    assert {hit.page_id for hit in results.hits} == {both, air, room}
    assert results.total == 3


def test_the_api_ranks_and_counts_as_the_search_page(client, publish):
    for title in ("寝室空调不制冷", "教室空调太冷", "寝室门锁坏了", "图书馆开放时间"):
        publish(title)
    answer = client.get("/api/v1/posts", {"q": "寝室 空调"}).json()
    assert [post["title"] for post in answer["results"]] == [post_of(page_id).title for page_id in found("寝室 空调")]
    assert answer["results"][0]["title"] == "寝室空调不制冷"
    assert answer["count"] == search("寝室 空调").total == 3


def test_a_post_with_every_word_typed_apart_comes_before_one_that_says_one_word_more_strongly(publish):
    """寝室 is common here, so on BM25 alone the post saying 空调 in its title and text would lead."""
    for n in range(1, 7):
        publish(f"寝室{n}号楼门口积水")
    both = publish("楼里的问题", body="寝室空调不制冷")
    some = publish("空调不制冷", body="空调坏了")
    ranked = found("寝室 空调")
    assert ranked.index(both) < ranked.index(some)


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
    window = publish("食堂窗口太少", body="中午排队很久")
    publish("宿舍热水不稳定")
    for query in ("食堂 涨价", "食堂饭菜又涨价了"):
        assert found(query)[:2] == [best, window]
        assert similar(query)[:2] == [best, window]
