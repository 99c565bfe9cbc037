"""The campus thesaurus: a query that names one word of a synonym set also looks for the others.

Applied when a query runs, never to what is indexed, so editors' changes take effect at the next
search. The other words' own words and bigrams (as search.segment cuts them) are added to what a
query looks for, never their single characters, which would let 寝室 pull in every post with 室 in
it. So a thesaurus hit weighs like a word the visitor typed, and a query with no hit is unchanged.
"""

from search import segment
from search.models import SynonymSet


def expand(terms, text, sets=None):
    """terms (segment.Terms of text) with the words and bigrams of every synonym of a word text holds
    (sets: active_sets(), when the caller expands several texts)."""
    synonyms = synonyms_of(text, sets)
    words = [word for synonym in synonyms for word in segment.words(synonym)]
    bigrams = [bigram for synonym in synonyms for bigram in segment.bigrams(synonym)]
    return segment.Terms(
        tuple(dict.fromkeys(terms.words + tuple(words))),
        terms.chars,
        tuple(dict.fromkeys(terms.bigrams + tuple(bigrams))),
    )


def synonyms_of(text, sets=None):
    """The words of the active synonym sets that text names, but not in text itself."""
    normal = segment.normalize(text)
    found = []
    for words in active_sets() if sets is None else sets:
        if any(word in normal for word in words):
            found.extend(word for word in words if word not in normal)
    return list(dict.fromkeys(found))


def active_sets():
    """Each active set's words, normalised as queries are (wifi finds WiFi)."""
    return [
        [segment.normalize(word) for word in synonym.word_list()]
        for synonym in SynonymSet.objects.filter(is_active=True)
    ]
