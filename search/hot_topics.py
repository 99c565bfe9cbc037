"""Hot topics (未诉先办): the words and the near-duplicate posts that keep coming up in a period.

It lives in search/ because it needs the segmenter, and wall never imports search (DESIGN.md §4).
It reads every post received in the period, public or not; only statistics readers see the result.
"""

from collections import Counter

from wall.models import Post

from . import segment

MOST_POSTS = 20_000  # the newest this many of a period: enough to see what keeps coming up
MOST_CLUSTERED = 5_000  # near-duplicates are looked for among the newest this many
COMMON_WORD = 200  # groups whose first post has a word, beyond which that word tells nothing
SAME_PROBLEM = 0.6  # two titles are near-duplicates when 60% of their words are shared (Jaccard)
# Words that occur in almost every request and say nothing about its subject.
STOPWORDS = set(
    "什么 怎么 怎么办 请问 可以 我们 你们 他们 没有 一个 一下 问题 学校 同学 老师 现在 希望 已经 这个 那个 时候 "
    "为什么 能否 是否 如何 还是 就是 谢谢 非常 需要 不能 每天 一直 这样 因为 所以 如果 但是 而且 然后 还有 "
    "目前 最近 一些 很多 比较 情况 反映 建议 咨询 投诉 麻烦 处理 解决 相关 部门 时间 今天 明天 昨天 开始 "
    "已经 不是 可能 应该 知道 我的 自己 大家 感觉 有点 一样 以及 关于 能不能 是不是 有没有".split()
)


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


def topics(text):
    """The words of text that can be a topic: Chinese, two characters or more, not a stopword."""
    return {word for word in segment.words(text) if _is_topic(word)}


def _is_topic(word):
    return len(word) >= 2 and segment.is_han(word) and word not in STOPWORDS


def received_in(period, unit=None):
    posts = Post.objects.accepted_between(period.start, period.end)
    return posts.involving(unit) if unit else posts
