"""Hot topics (未诉先办): the words and the near-duplicate posts that keep coming up in a period.

The words come from the search app's segmenter (search.topics), the same the Elasticsearch index counts.
It reads every post received in the period, public or not; only statistics readers see the result.
The public page of common questions (`public_*`) reads the wall's pages alone: what the privacy gate
let out.
"""

from collections import Counter
from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from cases.models import Place, Post
from search import segment
from search.topics import topics
from wall.models import WallPostPage
from wall.projection import is_public

MOST_POSTS = 20_000  # the newest this many of a period: enough to see what keeps coming up
MOST_CLUSTERED = 5_000  # near-duplicates are looked for among the newest this many
COMMON_WORD = 200  # groups whose first post has a word, beyond which that word tells nothing
SAME_PROBLEM = 0.6  # two titles are near-duplicates when 60% of their words are shared (Jaccard)


def top_terms(posts, limit=30):
    """[(word, number of posts it appears in)], the commonest first, over posts' titles and texts."""
    counts = Counter()
    texts = posts.order_by("-accepted_at").values_list("title", "body")[:MOST_POSTS]
    for title, body in texts.iterator(chunk_size=2000):
        counts.update(topics(f"{title} {body}"))
    return counts.most_common(limit)


def recurring(posts, min_size=3, limit=20):
    """Groups of near-duplicate posts ("this came up 14 times"), the largest first:
    [(title of the newest, [post ids, newest first])].

    Each title becomes the set of its words (jieba's, without single characters such as 的 or 又, so
    "三号楼的热水又不热了" is still "三号楼热水不热", while 五号楼's are another building's). Going from
    the newest post back, a post joins the group whose first post's words it shares most, if their
    Jaccard similarity reaches SAME_PROBLEM; otherwise it starts a group. On LCQMC's dev pairs that
    threshold links 74% of the same-intent pairs and 57% of the near-miss pairs, which that set picks
    to look alike (左嘴角 / 右嘴角). A word that starts more than COMMON_WORD groups (宿舍, 食堂) is left
    out of the shared count, never added, so it can only make two titles look less alike; a group of
    five hundred posts about one canteen still counts as one group, so its words stay rare.
    """
    rows = list(posts.order_by("-accepted_at", "-pk").values_list("pk", "title")[:MOST_CLUSTERED])
    groups, firsts = [], {}  # [([row index, ...], words of its first post)]; word -> groups whose first has it
    for index, (_pk, title) in enumerate(rows):
        own = {word for word in segment.words(title) if len(word) > 1 or not segment.is_han(word)}
        shared = Counter(
            group for word in own if len(firsts.get(word, ())) <= COMMON_WORD for group in firsts.get(word, ())
        )
        best, group = max(
            ((count / (len(own) + groups[g][1] - count), g) for g, count in shared.items()), default=(0, 0)
        )
        if best >= SAME_PROBLEM:
            groups[group][0].append(index)
            continue
        groups.append(([index], len(own)))
        for word in own:
            firsts.setdefault(word, []).append(len(groups) - 1)
    found = sorted((members for members, _size in groups if len(members) >= min_size), key=len, reverse=True)
    return [(rows[members[0]][1], [rows[index][0] for index in members]) for members in found[:limit]]


def by_place(posts, words=3):
    """区域性: [(place, posts there, its commonest words)] for posts that name a place, the most first."""
    counts, words_at = Counter(), {}
    texts = posts.exclude(place=None).order_by("-accepted_at").values_list("place", "title", "body")[:MOST_POSTS]
    for place_id, title, body in texts.iterator(chunk_size=2000):  # one pass, not a query per place
        counts[place_id] += 1
        words_at.setdefault(place_id, Counter()).update(topics(f"{title} {body}"))
    places = Place.objects.in_bulk(counts)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(places[pk], n, [word for word, _n in words_at[pk].most_common(words)]) for pk, n in ranked]


def place_seasons(place, years=5, today=None):
    """季节性: the place's posts in each calendar month of the last `years` years, as figures.seasons."""
    today = today or timezone.localdate()
    first_year = today.year - years + 1
    posts = Post.objects.filter(place=place, accepted_at__year__gte=first_year)
    counts = {
        (row["year"], row["month"]): row["n"]
        for row in posts.values(year=ExtractYear("accepted_at"), month=ExtractMonth("accepted_at")).annotate(
            n=Count("pk")
        )
    }
    shown = list(range(first_year, today.year + 1))
    return shown, [(month, [counts.get((year, month), 0) for year in shown]) for month in range(1, 13)]


def received_in(period, unit=None):
    posts = Post.objects.accepted_between(period.start, period.end)
    return posts.involving(unit) if unit else posts


PUBLIC_DAYS = 90  # the public page's hot words: of the wall's posts of the last three months


def public_top_terms(limit=20):
    """[(word, number of wall pages it appears in)] over the live wall pages of the last PUBLIC_DAYS."""
    since = timezone.now() - timedelta(days=PUBLIC_DAYS)
    pages = WallPostPage.objects.live().filter(posted_at__gte=since).order_by("-posted_at")
    counts = Counter()
    for title, body in pages.values_list("title", "body")[:MOST_POSTS].iterator(chunk_size=2000):
        counts.update(topics(f"{title} {body}"))
    return [(word, count) for word, count in counts.most_common(limit) if count > 1]


def public_most_reused(limit=10):
    """The wall pages whose answer most visitors said solved their question ("我的问题已解决")."""
    posts = Post.objects.filter(page__live=True).annotate(reused=Count("reuses")).filter(reused__gt=0)
    shown = posts.select_related("page").order_by("-reused", "-pk")[: limit * 2]
    return [(post.page, post.reused) for post in shown if is_public(post)][:limit]
