"""三率 statistics: what is counted, for which unit and which period. The rules, in Chinese, as published:

统计口径（每条规则都有测试，见 tests/test_stats_*.py）
- 统计期间：按北京时间（Asia/Shanghai）的自然日划分，含起点、不含终点 [start, end)，可选日、周（周一起）、
  月、季度、半年、年或自定义日期范围。
- 受理量：期间内受理（分派到单位）的诉求数，以受理时间 accepted_at 计；作为重复诉求合并到另一条的不计
  （它在那一条里答复）。
- 响应率：在答复时限内首次答复的诉求 / 受理量。尚未答复且答复时限未到的诉求暂不计入分母
  （既非按时也非超时）；超过时限仍未答复的计为未按时。答复时限以诉求当前的时限为准：转办后接收单位
  重新计时；重办后首次答复时间不变，所以重办不改变响应率。
- 办结率：目前已办结的诉求 / 受理量；按时办结率：在办结时限内办结的诉求 / 受理量。答复“暂无法解决”
  （挂账，须写明原因和计划解决日期）算作答复，计入响应率；单位解决后再次答复才能办结，在此之前不算办结。
- 满意率：结果评分不低于满意阈值（默认 4 分，可在“统计规则”中设置）的评价 / 评价数。
  每一轮答复的评价各算一次；评价归入被评诉求所在的统计期间和单位。另给出态度、速度、结果的平均分。
- 平均与第 90 百分位首次答复用时：从受理到首次答复，只计已答复的诉求；第 90 百分位向上取两位有效数字
  （10 小时以内精确到 0.1 小时，100 小时以内精确到 1 小时）。
- 重办率：被重办过（评价不满意或回访未解决）的诉求 / 受理量。
- 转办次数：单位在期间内把诉求转给其他单位的次数（督查员改派和超限被拒的转办不计）。
- 参与率：期间内至少答复过一条诉求的单位 / 期间内受理过诉求的单位。
- 联办诉求计入牵头单位和每一个协办单位。诉求的首次答复是牵头单位的答复：协办单位的答复是它的办理意见，
  不改变诉求状态，也不算首次答复。
- 转办诉求计入答复时持有它的单位（未答复的计入当前持有单位），并为转出单位记一次转办。
- 全校合计中每条诉求只算一次，所以各单位之和可以大于全校合计。

Everything is aggregated in the database (grouped COUNT/SUM with filters, subqueries for the holder
of a transferred post), on SQLite and PostgreSQL alike, into DailyFigures: one row per Beijing-time
day and unit, and one for the whole school. A period's figures are sums over its days' rows, so a year
costs a few thousand rows however many posts it had. Every write to a post, a rating, a transfer or
a post's co-handling units marks the days it changes stale (StaleDay) in the writer's transaction;
reading a period first recounts its stale days from the posts (`refresh`). Only two things are not in
the rollup: posts whose reply deadline is still ahead (they depend on the moment of reading; a
handful, counted live) and the exact 90th percentile (the rollup keeps histograms of waits per day and
per month, in steps of two significant figures, so the percentile is rounded up to 0.1 h below 10 h,
to 1 h below 100 h). Python loops over units, days, months and histogram steps, never over posts.

Caching: figures of a period that has ended are cached for STATS_CACHE_SECONDS (default one hour),
keyed by the period, RULES_VERSION and the satisfaction threshold. A finished period can still
change through late events (a late reply, a closure, a rating or a reopen of a post received in
it): those show up once the cached entry expires, which is an honest delay for monthly and yearly
reports and keeps every write path free of cache invalidation. The running period is never cached.
"""

from django.utils.translation import gettext_lazy as _

from stats.models import StatisticsSettings

RULES_VERSION = 5  # bump when a rule above changes, so no cached figure survives it

# The rules above, as the pages show them (Chinese in the zh_Hans catalog).
DEFINITIONS = [
    (
        _("Period"),
        _(
            "Calendar days in Beijing time (Asia/Shanghai), from the first day's midnight up to but not "
            "including the midnight after the last day. Weeks start on Monday."
        ),
    ),
    (
        _("Received"),
        _(
            "Posts accepted and routed to a unit in the period, counted by the time of acceptance; a duplicate "
            "merged into another post is not counted (it is answered there)."
        ),
    ),
    (
        _("Response rate"),
        _(
            "Posts first answered within the reply deadline / posts received. Posts not answered yet whose "
            "deadline is still ahead are left out until they are answered or late."
        ),
    ),
    (
        _("Completion rate"),
        _(
            "Posts closed now / posts received; on time: closed within the resolution deadline / posts received. "
            "A reply that the problem cannot be solved now (with the reason and a planned date) answers the post "
            "and counts for the response rate, but the post is closed, and completed, only after the unit's reply "
            "that solves it."
        ),
    ),
    (
        _("Satisfaction rate"),
        _(
            "Ratings whose result score reaches the satisfaction threshold (%(threshold)s points, set under "
            "statistics rules) / ratings. Each reply round's rating counts once, in the period and for the "
            "unit of the rated post. The average attitude, speed and result scores are shown too."
        ),
    ),
    (
        _("Time to first reply"),
        _(
            "From acceptance to the first reply, answered posts only: the average, and the time within which "
            "nine in ten posts were answered (the 90th percentile, rounded up to two significant figures: to 0.1 hours "
            "below 10 hours, to whole hours below 100)."
        ),
    ),
    (_("Reopen rate"), _("Posts reopened at least once (unsatisfied rating or return visit) / posts received.")),
    (
        _("Transfers out"),
        _(
            "How often the unit transferred a post to another unit in the period (re-assignments by "
            "supervisors and refused transfers are not counted)."
        ),
    ),
    (_("Participation"), _("Units that answered at least one post / units that received at least one post.")),
    (
        _("Co-handled and transferred posts"),
        _(
            "A co-handled post counts for the lead unit and for every co-handling unit; its first reply is "
            "the lead unit's (a co-handling unit's reply is its contribution and does not answer the post). "
            "A transferred post counts for the unit that held it when it was first answered (if unanswered: "
            "the unit holding it now) and as a transfer for the unit that passed it on. The whole school "
            "counts every post once, so the units' numbers may add up to more."
        ),
    ),
]


def definitions():
    """[(term, definition)] with the satisfaction threshold in force filled in."""
    threshold = satisfied_threshold()
    return [(term, str(text).replace("%(threshold)s", str(threshold))) for term, text in DEFINITIONS]


def satisfied_threshold():
    return StatisticsSettings.load().satisfied_at_or_above
