"""Server-rendered SVG charts: coordinates computed here, drawn by stats/templates/stats/admin/_chart.html.

Each chart scales to its container (viewBox, width 100%), so it reads on a phone; every figure
drawn is also in a table next to it.
"""

from dataclasses import dataclass

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 24
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#ad494a",
]


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    width: float = 0
    height: float = 0
    color: str = ""
    title: str = ""


def _x_positions(count):
    inner = WIDTH - LEFT - RIGHT
    step = inner / count if count else inner
    return [LEFT + step * (index + 0.5) for index in range(count)], step


def _x_labels(labels, positions, most=6):
    every = max(1, -(-len(labels) // most))  # ceiling division: at most `most` labels
    return [
        Mark(x, HEIGHT - 8, title=label)
        for index, (x, label) in enumerate(zip(positions, labels, strict=True))
        if index % every == 0
    ]


def _y(value, top_value):
    inner = HEIGHT - TOP - BOTTOM
    return TOP + inner * (1 - (value / top_value if top_value else 0))


def rate_chart(labels, values):
    """A line over the sub-intervals of one rate (0–1); a gap where there is no figure."""
    positions, _step = _x_positions(len(labels))
    path, pen_down, dots = [], False, []
    for x, label, value in zip(positions, labels, values, strict=True):
        if value is None:
            pen_down = False
            continue
        y = _y(value, 1)
        path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
        pen_down = True
        dots.append(Mark(x, y, title=f"{label}: {value * 100:.1f}%"))
    ticks = [Mark(LEFT - 4, _y(fraction, 1), title=f"{int(fraction * 100)}%") for fraction in (0, 0.5, 1)]
    return _chart(" ".join(path), dots, ticks, _x_labels(labels, positions))


def stacked_bar_chart(labels, series):
    """Stacked columns: series is [(name, [count per label])]; returns the chart and its legend."""
    positions, step = _x_positions(len(labels))
    totals = [sum(counts[index] for _name, counts in series) for index in range(len(labels))]
    top_value = max(totals, default=0) or 1
    bars = []
    for index, (x, label) in enumerate(zip(positions, labels, strict=True)):
        base = 0
        for number, (name, counts) in enumerate(series):
            if counts[index]:
                y_top = _y(base + counts[index], top_value)
                height = _y(base, top_value) - y_top
                color = PALETTE[number % len(PALETTE)]
                width = max(step * 0.7, 1)
                bars.append(Mark(x - width / 2, y_top, width, height, color, f"{label} {name}: {counts[index]}"))
                base += counts[index]
    return _bar_chart(labels, positions, series, bars, top_value)


def grouped_bar_chart(labels, series):
    """Columns side by side, one per series at each label: series is [(name, [count per label])],
    e.g. each year's posts per month, so the same month of different years can be compared."""
    positions, step = _x_positions(len(labels))
    top_value = max((count for _name, counts in series for count in counts), default=0) or 1
    width = max(step * 0.8 / max(len(series), 1), 1)
    bars = []
    for number, (name, counts) in enumerate(series):
        color = PALETTE[number % len(PALETTE)]
        for x, label, count in zip(positions, labels, counts, strict=True):
            if count:
                y_top = _y(count, top_value)
                left = x - step * 0.4 + number * width
                bars.append(Mark(left, y_top, width, _y(0, top_value) - y_top, color, f"{label} {name}: {count}"))
    return _bar_chart(labels, positions, series, bars, top_value)


def _bar_chart(labels, positions, series, bars, top_value):
    ticks = [Mark(LEFT - 4, _y(value, top_value), title=str(value)) for value in (0, top_value)]
    chart = _chart("", bars, ticks, _x_labels(labels, positions))
    chart["legend"] = [(PALETTE[number % len(PALETTE)], name) for number, (name, _counts) in enumerate(series)]
    return chart


def _chart(path, marks, y_ticks, x_labels):
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "top": TOP,
        "path": path,
        "marks": marks,
        "y_ticks": y_ticks,
        "x_labels": x_labels,
    }
