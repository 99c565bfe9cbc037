"""Synonyms the wall teaches: when a visitor's own title led them to an answered post and they said
"我的问题已解决", their words and the post's are two ways of asking the same thing. Where the two
differ by one word each (寝室空调坏了 / 宿舍空调坏了), that pair of words is proposed to the editors as a
thesaurus entry; they accept or reject it, and nothing enters the thesaurus without them.

Editors merging a duplicate into a post on the wall are the second source: the duplicate's title
and that post's are the same question too (Post.merge_into). Both are read by editors only.
"""

from collections import Counter
from dataclasses import dataclass

from cases.models import AnswerReused, Post
from search import segment
from search.models import SynonymSet

# A pair is proposed once this many visitors have shown it: one could be a slip.
EVIDENCE = 2


@dataclass(frozen=True)
class Proposal:
    words: tuple[str, str]
    evidence: int
    example: tuple[str, str]  # one visitor's title and the post's, as shown to editors


def proposals():
    """The pairs of words visitors' titles swapped for a post's, best supported first, leaving out
    pairs a synonym set already holds (editors' rejections are kept as sets not in use)."""
    known = [set(words) for words in _every_set()]
    counts, examples = Counter(), {}
    for wording, title in wordings():
        pair = swapped_words(wording, title or "")
        if pair and not any(set(pair) <= words for words in known):
            counts[pair] += 1
            examples.setdefault(pair, (wording, title))
    return [Proposal(pair, count, examples[pair]) for pair, count in counts.most_common() if count >= EVIDENCE]


def wordings():
    """(someone's words, the title of the post on the wall they meant): from "我的问题已解决" and from merges."""
    spared = AnswerReused.objects.exclude(wording="").values_list("wording", "post__page__title")
    merged = Post.objects.filter(status=Post.Status.MERGED, merged_into__page__isnull=False)
    return [*spared, *merged.values_list("title", "merged_into__page__title")]


def swapped_words(first, second):
    """(a, b), sorted, when first and second share a word and differ by one word each (lone
    characters aside); None otherwise."""
    one, other = _words(first), _words(second)
    only_one, only_other = [w for w in one if w not in other], [w for w in other if w not in one]
    if len(only_one) != 1 or len(only_other) != 1 or not (one & other):
        return None
    return tuple(sorted((only_one[0], only_other[0])))


def decide(words, accept):
    """Keep an editor's decision on a proposed pair: a synonym set in use, or one not in use, which
    also stops the pair being proposed again."""
    return SynonymSet.objects.create(words="/".join(words), is_active=accept)


def _words(text):
    # Single characters (了, 的, 吗) come and go between two wordings of one question.
    return {word for word in segment.plain_words(text) if len(word) > 1 or not segment.is_han(word)}


def _every_set():
    return [[segment.normalize(word) for word in synonym.word_list()] for synonym in SynonymSet.objects.all()]
