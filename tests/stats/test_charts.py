"""The SVG charts' geometry: what is drawn where, and gaps where there is no figure."""

from stats import charts


def test_it_draws_a_rate_line_with_a_gap_where_there_is_no_figure():
    chart = charts.rate_chart(["1", "2", "3", "4"], [1.0, None, 0.5, 0.0])
    assert chart["path"].count("M") == 2  # the pen lifts over the missing second point
    assert [mark.title for mark in chart["marks"]] == ["1: 100.0%", "3: 50.0%", "4: 0.0%"]
    top, middle, bottom = (mark.y for mark in chart["marks"])
    assert top == chart["top"] and bottom == chart["bottom"] and middle == (top + bottom) / 2


def test_it_stacks_category_bars_to_the_tallest_total():
    chart = charts.stacked_bar_chart(["3/1", "3/2"], [("后勤保障", [2, 0]), ("教学管理", [2, 1])])
    heights = [(mark.title, round(mark.height, 1)) for mark in chart["marks"]]
    full = chart["bottom"] - chart["top"]
    assert heights == [
        ("3/1 后勤保障: 2", round(full / 2, 1)),
        ("3/1 教学管理: 2", round(full / 2, 1)),
        ("3/2 教学管理: 1", round(full / 4, 1)),
    ]
    assert [name for _color, name in chart["legend"]] == ["后勤保障", "教学管理"]


def test_it_labels_at_most_eight_days_on_the_axis():
    labels = [str(day) for day in range(1, 32)]
    chart = charts.rate_chart(labels, [None] * 31)
    assert len(chart["x_labels"]) <= 6 and chart["path"] == ""
