"""The words of a post that can be a hot topic: read by stats.hot_topics and stored in the Elasticsearch index."""

from . import segment

# Words that occur in almost every request and say nothing about its subject.
STOPWORDS = set(
    "什么 怎么 怎么办 请问 可以 我们 你们 他们 没有 一个 一下 问题 学校 同学 老师 现在 希望 已经 这个 那个 时候 "
    "为什么 能否 是否 如何 还是 就是 谢谢 非常 需要 不能 每天 一直 这样 因为 所以 如果 但是 而且 然后 还有 "
    "目前 最近 一些 很多 比较 情况 反映 建议 咨询 投诉 麻烦 处理 解决 相关 部门 时间 今天 明天 昨天 开始 "
    "已经 不是 可能 应该 知道 我的 自己 大家 感觉 有点 一样 以及 关于 能不能 是不是 有没有 "
    # where, when, how often and how much: around every subject, never one
    "哪里 哪儿 哪些 那里 这里 附近 旁边 里面 外面 早上 上午 中午 下午 晚上 平时 经常 总是 以后 之后 之前 "
    "以前 只有 两个 几个 一次 多次 增加 减少 准备 影响 严重 管一管 一点 东西 地方 事情 工作 方面 "
    "能够 进行 出现 发现 导致 造成 要求 提出 及时 尽快 认真 真的 特别 几点 多久 多少 怎样 为何".split()
)


def topics(text):
    """The words of text that can be a topic: Chinese, two characters or more, not a stopword.

    jieba's longest words (precise mode): 图书馆 once, not also its parts 图书 and 书馆 as the search
    index wants them, so that one subject is one topic."""
    return {word for word in segment.plain_words(text) if _is_topic(word)}


def _is_topic(word):
    return len(word) >= 2 and segment.is_han(word) and word not in STOPWORDS
