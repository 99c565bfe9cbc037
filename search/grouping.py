"""Near-identical posts show as one result: the same question asked again (希望校园网增加低价套餐 seven
times) should not fill the list that is meant to show the answer.

Titles are near-identical when their character bigrams (punctuation and spacing left out) overlap
by at least ALIKE. 三号楼热水不热 / 三号楼热水不热！ are; 三号楼热水不热 / 五号楼热水不热 are not: another
building is another problem.
"""

import re
from dataclasses import replace

from cases.models import Post
from search import segment

ALIKE = 0.8

_SIGNS = re.compile(r"[^\w]+")


def grouped(hits):
    """hits (best first) with each group of near-identical titles as one hit: the best answered one
    if the group has one, else its best, carrying the others' page ids in `alike`; groups keep the
    place of their best hit."""
    groups = []  # [(bigrams of the first title, [hits])]
    for hit in hits:
        bigrams = _bigrams(hit.title)
        group = next((members for seen, members in groups if _overlap(bigrams, seen) >= ALIKE), None)
        if group is None:
            groups.append((bigrams, [hit]))
        else:
            group.append(hit)
    return [_one(members) for _, members in groups]


def _one(members):
    leader = next((hit for hit in members if hit.status in Post.ANSWERED), members[0])
    others = tuple(hit.page_id for hit in members if hit is not leader)
    return replace(leader, alike=others) if others else leader


def _bigrams(title):
    text = _SIGNS.sub("", segment.normalize(title))
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _overlap(first, second):
    return len(first & second) / len(first | second)
