"""Elasticsearch's answers as the wall's hits: titles and excerpts with only our own <mark> tags."""

import html
import re

from search import segment

from .base import Hit

EXCERPT_CHARS = 120
_MARK = re.compile(r"(</?mark>)")


def hit(hit, fields):
    source, highlight = hit["_source"], hit.get("highlight", {})
    names = list(fields)
    title = highlight.get(names[0], [])
    fragments = [(fragment, source[name.split(".")[0]]) for name in names[1:] for fragment in highlight.get(name, [])]
    return Hit(
        page_id=source["page_id"],
        score=hit["_score"] or 0.0,
        url=source["url"],
        title=source["title"],
        status=source["status"],
        title_html=_render(_marked_chars(title[0])) if title else html.escape(source["title"]),
        excerpt_html=_excerpt(fragments, source),
    )


def _marked_chars(fragment):
    """[(character, marked)] of a fragment the highlighter HTML-encoded and marked with <mark>.

    Everything is decoded and encoded again by _render(), so only our own <mark> tags can reach a page.
    """
    chars, marked = [], False
    for part in _MARK.split(fragment):
        if part in ("<mark>", "</mark>"):
            marked = part == "<mark>"
        else:
            chars += [(char, marked) for char in html.unescape(part)]
    return chars


def _render(chars):
    return segment.render("".join(char for char, _ in chars), [marked for _, marked in chars])


def _squeezed(chars):
    """chars with every run of white space made one space, as the excerpt shows it."""
    out = []
    for char, marked in chars:
        if char.isspace():
            if out and out[-1][0] == " ":
                continue
            char = " "
        out.append((char, marked))
    while out and out[0][0] == " ":
        out.pop(0)
    while out and out[-1][0] == " ":
        out.pop()
    return out


def _excerpt(fragments, source):
    """The body's or a reply's passage with the most marked characters, at most EXCERPT_CHARS long.

    Without a match there (the title matched), the start of the text and replies.
    """
    best, whole = [], ""
    for fragment, field in fragments:
        chars = _squeezed(_marked_chars(fragment))
        if sum(marked for _, marked in chars) > sum(marked for _, marked in best):
            best, whole = chars, " ".join((" ".join(field) if isinstance(field, list) else field).split())
    if not best:
        text = " ".join(" ".join([source["body"], *source["replies"]]).split())
        cut = len(text) > EXCERPT_CHARS
        return html.escape(text[:EXCERPT_CHARS]) + ("…" if cut else "")
    text = "".join(char for char, _ in best)
    first = next(i for i, (_, marked) in enumerate(best) if marked)
    # Start a little before the first match, so that it is read in context.
    start = max(0, min(first - 10, len(best) - EXCERPT_CHARS))
    end = start + EXCERPT_CHARS
    before = start > 0 or not whole.startswith(text)
    after = end < len(best) or not whole.endswith(text)
    return ("…" if before else "") + _render(best[start:end]) + ("…" if after else "")
