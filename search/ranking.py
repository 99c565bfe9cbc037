"""BM25 in Python over a few hundred candidates: how the search page and similar questions are put in order.

The index finds candidates cheaply from the tokens that tell questions apart (see
search.backends.sqlite); ranking them here on every token of the question lets the common ones
(什么 / 怎么, 吗) still decide between close candidates. The score is the one the PostgreSQL store
computes in SQL (search.backends.postgres), so both databases rank alike.
"""

import functools
import math

from search import segment

K1 = 1.2
B = 0.75
# Two people asking the same thing write questions of about the same length: a candidate's score is
# multiplied by (shorter / longer) ** LENGTH_POWER, in distinct characters of the query and the
# title. Tuned with bench/search_quality.py: 0.25 adds 0.002 recall@5 and 0.0065 MRR@10 on LCQMC,
# alike on both halves of it; 1 punishes a short question's longer paraphrase too much.
LENGTH_POWER = 0.25
# A post saying a thesaurus synonym scores this share of what saying the word typed would give: the
# same thing said, but the visitor's own word is the surer sign (see synonym_boosts).
SYNONYM_SHARE = 0.9
# Cutting a candidate's text into words is most of the time the Elasticsearch backend spends ranking
# (jieba: ~0.3 ms for a post's title, text and replies); the same posts come up again and again, so a
# process keeps the columns of the last COLUMNS_CACHED texts (a few MB).
COLUMNS_CACHED = 4096


def idf(holders, total):
    """Lucene's inverse document frequency: never negative, however common the token."""
    return math.log(1 + (total - holders + 0.5) / (holders + 0.5))


def token_idfs(terms, holders, total, kind_weights, field_weights):
    """{token: its idf} for every token of terms (segment.Terms), holders[token] being how many of
    total questions hold it: a thesaurus set's tokens as common as its most common word, a synonym's
    weighed up to stand for the word typed (synonym_boosts, with the same weights). One idf per
    token, word or bigram alike."""
    holders = terms.holders(holders)
    plain = {token: idf(holders.get(token, 0), total) for token in {*terms.words, *terms.chars, *terms.bigrams}}
    boosts = {}
    synonyms = synonym_boosts(terms, lambda kind, token: plain[token], kind_weights, field_weights)
    for (_, token), boost in synonyms.items():
        boosts[token] = max(boosts.get(token, 1.0), boost)
    return {token: value * boosts.get(token, 1.0) for token, value in plain.items()}


@functools.lru_cache(maxsize=COLUMNS_CACHED)
def columns(text):
    """text's token columns, as the embedded index stores them: its words, characters and bigrams,
    each space-separated."""
    return tuple(" ".join(cut(text)) for cut in (segment.words, segment.chars, segment.bigrams))


def question_columns(title, body):
    """A question's token columns: its title's, then its text's."""
    return columns(title) + columns(body)


def scorer(terms, idfs, kind_weights, field_weights, average_length):
    """bm25() of a row's columns for terms (segment.Terms), as a function of the columns alone: the
    query's kinds and the columns' weights (each field's times each kind's) worked out once."""
    kinds = tuple(set(kind) for kind in (terms.words, terms.chars, terms.bigrams))
    weights = [field * kind for field in field_weights for kind in kind_weights]
    return lambda columns: bm25(kinds, columns, weights, average_length, idfs)


def bm25(query_kinds, columns, weights, average_length, idfs):
    """The score of a row (a post's question: its title's columns and its text's) as FTS5's bm25()
    and the PostgreSQL store give it: a token's occurrences in every column of its kind, times the
    column's weight, are summed before they saturate, and the row's length is measured against the
    average row's. So a post whose text holds the words asked for is not buried under titles that
    hold one of them.

    query_kinds: the query's tokens, one set per kind of column (words, characters, bigrams);
    columns: the row's column texts (tokens, space-separated), those kinds in that order for each
    field; weights: each column's; idfs[token]: each query token's idf.
    """
    length, frequencies = 0, {}
    for number, (column, weight) in enumerate(zip(columns, weights, strict=True)):
        kind = number % len(query_kinds)
        query = query_kinds[kind]
        tokens = column.split()
        length += len(tokens)
        # Counting only the query's tokens: twice as fast as a Counter over every token.
        for token in tokens:
            if token in query:
                frequencies[kind, token] = frequencies.get((kind, token), 0) + weight
    norm = K1 * (1 - B + B * length / average_length) if average_length else K1
    return sum(idfs[token] * frequency * (K1 + 1) / (frequency + norm) for (_, token), frequency in frequencies.items())


def length_ratio(query_chars, title_chars):
    """(shorter / longer) ** LENGTH_POWER over the distinct characters of a query and of a title.

    1 when either has none (Latin letters or digits only): there is nothing to compare.
    """
    shorter, longer = sorted((len(set(query_chars)), len(set(title_chars))))
    return (shorter / longer) ** LENGTH_POWER if shorter else 1.0


def synonym_boosts(terms, idf, kind_weights, field_weights):
    """{(kind, token): factor} for the tokens a thesaurus synonym added to terms (segment.Terms), so
    that a post saying the synonym scores SYNONYM_SHARE of what one saying the word typed would.

    A synonym adds its words and bigrams only (see search.thesaurus), while the word typed also has
    characters; the synonym's tokens are weighed up by what the word typed would add that the
    synonym lacks: its words, bigrams and the characters the two do not share. idf(kind, token) is
    the token's idf, kind "w", "c" or "b"; kind_weights, the (words, characters, bigrams) weights;
    field_weights, the weights of the fields (title, text) the scorer reads.

    Each token counts what BM25 gives it in a post that says it once in each field, at the average
    length (said_once): tokens of little weight saturate later, so weighing the synonym's words and
    bigrams up by the typed characters' weights alone would make a post saying the synonym score
    more than one saying the word typed (1.7 times as much, on the similar box's character weights).
    """
    word, char, bigram = (said_once(weight * sum(field_weights)) for weight in kind_weights)
    boosts = {}
    for typed, added, words in terms.floors:
        typed_weight = sum(word * idf("w", t) for t in typed if t in terms.words)
        typed_weight += sum(bigram * idf("b", t) for t in typed if t in terms.bigrams)
        typed_chars = {c for t in typed for c in segment.chars(t)}
        # The word typed's characters count at most as its words do, which are as common as the set:
        # a rare character (寝 of 寝室) must not make every post saying 宿舍 a rare find.
        most = max([idf("w", t) for t in typed if t in terms.words] or [0.0])
        for synonym in words:
            own = [("w", t) for t in dict.fromkeys(segment.words(synonym)) if t in added]
            own += [("b", t) for t in dict.fromkeys(segment.bigrams(synonym)) if t in added]
            weight = sum((word if kind == "w" else bigram) * idf(kind, t) for kind, t in own)
            if not weight:
                continue
            lacking = typed_chars - set(segment.chars(synonym))
            factor = SYNONYM_SHARE * (typed_weight + sum(char * min(idf("c", c), most) for c in lacking)) / weight
            for key in own:
                boosts[key] = max(boosts.get(key, 1.0), factor)
    return boosts


def said_once(frequency):
    """BM25's score per unit of idf for a token of that weighted frequency, in a row of average length."""
    return frequency * (K1 + 1) / (frequency + K1)
