"""The campus thesaurus: a search for one word finds posts that use another word for the same thing,
editors keep the list in the admin and an edit counts at the next search, and a query that names no
word of the list is ranked exactly as before."""

import pytest
from django.urls import reverse

from search import ranking, segment, thesaurus
from search.backends.fulltext import BODY, SEARCH_TITLE, SEARCH_WEIGHTS, SIMILAR_WEIGHTS, TITLE
from search.models import SynonymSet
from tests.factories import make_editor, make_handler, make_unit
from tests.search_backends import found, search, similar


def test_it_ships_with_campus_synonyms(publish):
    dorm = publish("三号楼宿舍空调不制冷")
    publish("教室空调不制冷")
    wireless = publish("教学楼无线网络连不上")
    price = publish("二食堂饭菜价格上涨明显")
    assert found("寝室") == [dorm]
    assert found("wifi") == [wireless] and found("WiFi") == [wireless]
    assert found("涨价") == [price] and found("食堂 涨价") == [price]
    assert similar("寝室空调坏了")[0] == dorm


def test_each_word_typed_apart_brings_its_synonyms(publish):
    cut = publish("三号楼校园网晚上频繁断线")  # the oldest: ties would put it last
    for title in ("希望校园网增加低价套餐", "校园网缴费系统中断", "希望校园网提速"):
        publish(title)
    assert found("校园网 断网")[0] == cut


def test_the_word_typed_still_comes_first(publish):
    for number in range(3):
        publish(f"宿舍{number}号楼门口积水")
    typed = publish("寝室空调不制冷")
    other_word = publish("宿舍空调不制冷")
    assert found("寝室空调")[:2] == [typed, other_word]
    assert similar("寝室空调不制冷怎么办")[:2] == [typed, other_word]


def test_an_editors_edit_changes_the_next_search_without_a_rebuild(each_backend, publish, client, monkeypatch):
    office = publish("行政楼电梯坏了")
    assert found("小白楼") == []

    def written(*args, **kwargs):
        raise AssertionError("the index was written")

    for method in ("index_many", "remove", "rebuild"):
        monkeypatch.setattr(each_backend, method, written)

    client.force_login(make_editor())
    response = client.post(reverse("search_synonyms:add"), {"words": "小白楼/行政楼", "is_active": "on"})
    assert response.status_code == 302
    assert found("小白楼") == [office]  # what students call the administration building

    synonym = SynonymSet.objects.get(words="小白楼/行政楼")
    client.post(reverse("search_synonyms:edit", args=[synonym.pk]), {"words": "小白楼/行政楼"})  # not in use
    assert found("小白楼") == []


def test_only_editors_keep_the_thesaurus(client):
    unit = make_unit()
    client.force_login(make_handler(unit))
    assert client.get(reverse("search_synonyms:index")).status_code in (302, 403)
    assert client.post(reverse("search_synonyms:add"), {"words": "甲/乙", "is_active": "on"}).status_code in (302, 403)
    assert not SynonymSet.objects.filter(words="甲/乙").exists()


def test_a_query_that_names_no_synonym_ranks_as_without_a_thesaurus(publish):
    for title in ("图书馆座位不够", "图书馆开放时间太短", "自习室座位预约", "图书馆空调太冷"):
        publish(title)
    with_list = [(hit.page_id, hit.score) for hit in search("图书馆 座位").hits]
    SynonymSet.objects.all().delete()
    without = [(hit.page_id, hit.score) for hit in search("图书馆 座位").hits]
    assert with_list == without


def test_latin_words_and_numbers_are_words_too(publish):
    signal = publish("5G信号太差")
    room = publish("302宿舍门锁坏了")
    publish("宿舍门锁坏了")
    assert found("5g") == [signal]
    assert found("302")[0] == room


def test_a_synonym_holding_the_word_typed_is_not_looked_for_again():
    # Every post saying 宿舍楼 holds 宿舍: looking for it as well would count the word twice.
    terms = thesaurus.expand(segment.query_terms("宿舍热水"), "宿舍热水")
    assert "寝室" in terms.words and "公寓" in terms.words
    assert "宿舍楼" not in terms.words and "舍楼" not in terms.bigrams
    assert "宿舍" in thesaurus.synonyms_of("寝室") and "宿舍楼" not in thesaurus.synonyms_of("寝室")


def test_a_rare_synonym_weighs_as_the_word_typed(publish):
    for number in range(6):
        publish(f"宿舍{number}号楼门口积水")
    typed = publish("宿舍屋顶漏水严重")
    rare = publish("寝室屋顶漏水严重")
    assert found("宿舍 漏水")[:2] == [typed, rare]


@pytest.mark.parametrize(("kind_weights", "title"), [(SEARCH_WEIGHTS, SEARCH_TITLE), (SIMILAR_WEIGHTS, TITLE)])
def test_a_post_saying_a_synonym_scores_nine_tenths_of_one_saying_the_word_typed(kind_weights, title):
    # On the search page's weights and on the similar box's, where characters weigh most: the typed
    # word's characters are added to its words in the score, and each kind saturates at its own pace.
    terms = thesaurus.expand(segment.query_terms("寝室"), "寝室", [["宿舍", "寝室"]])
    idfs = ranking.token_idfs(terms, {"寝室": 5, "宿舍": 40, "寝": 40, "室": 60}, 5000, kind_weights, (title, BODY))
    weights = [field * kind for field in (title, BODY) for kind in kind_weights]
    kinds = tuple(set(kind) for kind in (terms.words, terms.chars, terms.bigrams))

    def score(word):  # a post saying it once in its title and once in its text, of average length
        columns = ranking.question_columns(word, word)
        return ranking.bm25(kinds, columns, weights, sum(len(column.split()) for column in columns), idfs)

    assert score("宿舍") == pytest.approx(0.9 * score("寝室"))


def test_a_thesaurus_phrase_with_spaces_is_one_thing_asked_for(publish):
    wallet = publish("捡到钱包应该交到哪里", body="在食堂门口捡到一个钱包，学校的失物招领处在哪里？")
    publish("校园卡丢失了")
    assert found("lost and found")[0] == wallet
    assert thesaurus.typed_apart("Lost  and found 一食堂") == ["lost and found", "一食堂"]
