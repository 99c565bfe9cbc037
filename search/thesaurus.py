"""The campus thesaurus: a query that names one word of a synonym set also looks for the others.

Applied when a query runs, never to what is indexed, so editors' changes take effect at the next
search. The other words' own words and bigrams (as search.segment cuts them) are added to what a
query looks for, never their single characters, which would let 寝室 pull in every post with 室 in
it. So a thesaurus hit weighs like a word the visitor typed, and a query with no hit is unchanged.

A synonym set weighs as one word, as Lucene's synonym query has it: each of its tokens counts as
held by as many posts as its most common word (Terms.floors), so a post saying 寝室, a rarer word,
does not come before one saying 宿舍, and typing the rare word does not make the concept rare. A
synonym holding another word of its set (宿舍楼: 宿舍) is left out: every post saying it already
matches the shorter one and would count the word twice.
"""

from search import segment
from search.models import SynonymSet

_JOINED = "\ue000"  # a private-use character, which nobody types: holds a phrase's spaces while a query is split


def expand(terms, text, sets=None):
    """terms (segment.Terms of text) with the words and bigrams of every synonym of a word text holds
    (sets: active_sets(), when the caller expands several texts)."""
    words, bigrams, floors = list(terms.words), list(terms.bigrams), []
    for typed, synonyms in _hits(text, sets):
        added_words = [token for synonym in synonyms for token in segment.words(synonym)]
        added_bigrams = [token for synonym in synonyms for token in segment.bigrams(synonym)]
        words += added_words
        bigrams += added_bigrams
        typed_tokens = [token for word in typed for token in segment.words(word) + segment.bigrams(word)]
        added = [token for token in added_words + added_bigrams if token not in typed_tokens]
        floors.append((tuple(dict.fromkeys(typed_tokens)), tuple(dict.fromkeys(added)), tuple(typed + synonyms)))
    return segment.Terms(tuple(dict.fromkeys(words)), terms.chars, tuple(dict.fromkeys(bigrams)), floors=tuple(floors))


def synonyms_of(text, sets=None):
    """The words of the active synonym sets that text names, but not in text itself."""
    return list(dict.fromkeys(synonym for _, synonyms in _hits(text, sets) for synonym in synonyms))


def typed_apart(text, sets=None):
    """The words typed apart in text (normalised), a thesaurus word with spaces in it (lost and found)
    kept whole: it is one thing asked for, not three."""
    normal = " ".join(segment.normalize(text).split())
    phrases = {word for words in (active_sets() if sets is None else sets) for word in words if " " in word}
    for phrase in sorted(phrases, key=len, reverse=True):
        normal = normal.replace(phrase, phrase.replace(" ", _JOINED))
    return [part.replace(_JOINED, " ") for part in normal.split()]


def parts_typed_apart(text, sets=None):
    """The terms (expanded) of each word typed apart in text, if there are several: a post holding
    them all comes first (search.backends.fulltext.with_coord); one run of text needs none."""
    parts = typed_apart(text, sets)
    if len(parts) < 2:
        return []
    return [terms for part in parts if (terms := expand(segment.query_terms(part), part, sets))]


def _hits(text, sets):
    """[(the words of a set text holds, the set's other words)] for each set text names a word of;
    a word holding another of its set is left out (see above)."""
    normal = segment.normalize(text)
    hits = []
    for words in active_sets() if sets is None else sets:
        typed = [word for word in words if word in normal]
        if typed:
            others = [word for word in words if word not in normal]
            hits.append((typed, [word for word in others if not any(w != word and w in word for w in words)]))
    return hits


def active_sets():
    """Each active set's words, normalised as queries are (wifi finds WiFi)."""
    return [
        [segment.normalize(word) for word in synonym.word_list()]
        for synonym in SynonymSet.objects.filter(is_active=True)
    ]
