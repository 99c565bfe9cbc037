"""Chinese text cut into the tokens the full-text index stores, and the marks that show a match.

Chinese is written without spaces, so neither SQLite's nor PostgreSQL's tokenizer can find 热水 in
宿舍热水不稳定. We cut the text ourselves, three ways, and store each as space-separated tokens:

- words: jieba in search mode (宿舍, 热水, 一卡通 and its parts 卡通), taught campus names by userdict.txt;
- chars: every Chinese character, so a word jieba cut differently is still found;
- bigrams: every pair of neighbouring Chinese characters, which rewards matches in the same order.

Text is first normalised (NFKC, lower case), so full-width letters and digits match their ASCII forms.
"""

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from html import escape
from pathlib import Path

USER_DICT = Path(__file__).with_name("userdict.txt")

# A query longer than this is cut here: a whole pasted post says what it is about in its first lines,
# and a few hundred tokens keep every query fast.
MAX_QUERY_CHARS = 300

EXCERPT_CHARS = 120

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
# What both databases' tokenizers keep as one token: letters and digits, nothing else.
_TOKEN = re.compile(r"[^\W_]+")

_tokenizer = None
_tokenizer_lock = threading.Lock()


def _jieba():
    """jieba's dictionary takes ~1 s and tens of MB to load; only processes that search pay for it."""
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                tokenizer.load_userdict(str(USER_DICT))
                _tokenizer = tokenizer
    return _tokenizer


def normalize(text):
    return unicodedata.normalize("NFKC", text or "").lower()


def is_han(token):
    return bool(_HAN_RUN.fullmatch(token))


def words(text):
    """jieba's search-mode words of text, normalised, without punctuation or spaces."""
    return [token for token in _jieba().cut_for_search(normalize(text)) if _TOKEN.fullmatch(token)]


def plain_words(text):
    """jieba's words of text in its precise mode (each character in one word), normalised, without
    punctuation or spaces: how a sentence is told apart from another word by word."""
    return [token for token in _jieba().lcut(normalize(text)) if _TOKEN.fullmatch(token)]


def chars(text):
    return [char for run in _HAN_RUN.findall(normalize(text)) for char in run]


def bigrams(text):
    return [run[i : i + 2] for run in _HAN_RUN.findall(normalize(text)) for i in range(len(run) - 1)]


@dataclass(frozen=True)
class Terms:
    """A query's distinct tokens, in the order they first appear."""

    words: tuple[str, ...]
    chars: tuple[str, ...]
    bigrams: tuple[str, ...]
    # For each thesaurus set a query names: (its tokens in the query, its words). Each of those tokens
    # counts as held by as many posts as the set's most common word (see search.thesaurus).
    floors: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    def __bool__(self):
        return bool(self.words or self.chars)

    @property
    def strong(self):
        """The tokens that say more than one character does: they decide what matches.

        Matching on single characters would make 热水 find every post with 水 in it; they only
        help the ranking, unless the query has nothing else (水, 电).
        """
        strong = tuple(dict.fromkeys(t for t in self.words if len(t) > 1 or not is_han(t)))
        if strong or self.bigrams:
            return Terms(strong, (), self.bigrams, self.floors)
        return Terms((), self.chars, (), self.floors)

    @property
    def added(self):
        """The tokens the thesaurus added for the words typed (search.thesaurus.expand)."""
        return {token for _, added, _ in self.floors for token in added}

    def holders(self, counts, typed=True):
        """counts ({token: how many posts hold it}) with the tokens of each thesaurus set floored (see
        floors); with typed=False only those the thesaurus added, as when choosing candidates: a rare
        word typed (网速) still tells its posts apart, however common its synonym (网络)."""
        floored = dict(counts)
        for typed_tokens, added, words in self.floors:
            most = max(counts.get(word, 0) for word in words)
            for token in (typed_tokens if typed else ()) + added:
                floored[token] = max(counts.get(token, 0), most)
        return floored

    def marked(self):
        """What highlighting marks in the text: the strong tokens, or single characters if that is all."""
        strong = self.strong
        return strong.words + strong.bigrams + strong.chars


def query_terms(text):
    """Tokens of any user input; punctuation, operators and emoji simply vanish."""
    text = normalize(text)[:MAX_QUERY_CHARS]
    return Terms(
        words=tuple(dict.fromkeys(words(text))),
        chars=tuple(dict.fromkeys(chars(text))),
        bigrams=tuple(dict.fromkeys(bigrams(text))),
    )


# -- highlighting ----------------------------------------------------------------------------------
# Done here rather than by the database so that it looks the same on SQLite, PostgreSQL and in tests.


def _normalized_with_offsets(text):
    """text normalised, and for each of its characters the index of the original character it came from."""
    if unicodedata.is_normalized("NFKC", text) and text == text.lower():  # most Chinese text: nothing moves
        return text, range(len(text))
    pieces, offsets = [], []
    for index, char in enumerate(text):
        normal = normalize(char)
        pieces.append(normal)
        offsets.extend([index] * len(normal))
    return "".join(pieces), offsets


def _marked_positions(text, terms):
    normal, offsets = _normalized_with_offsets(text)
    marked = [False] * len(text)
    for term in terms:
        start = normal.find(term)
        while start != -1:
            for i in range(start, start + len(term)):
                marked[offsets[i]] = True
            start = normal.find(term, start + 1)
    return marked


def render(text, marked):
    """text, HTML-escaped, with the characters where marked[i] is true in <mark>."""
    out, start = [], 0
    for i in range(1, len(text) + 1):
        if i == len(text) or marked[i] != marked[start]:
            piece = escape(text[start:i])
            out.append(f"<mark>{piece}</mark>" if marked[start] else piece)
            start = i
    return "".join(out)


def highlight(text, terms):
    """text, HTML-escaped, with every match of terms (a Terms) in <mark>."""
    return render(text, _marked_positions(text, terms.marked()))


def excerpt(text, terms, length=EXCERPT_CHARS):
    """The length characters of text with the most matches, highlighted like highlight(), with … where cut."""
    text = " ".join(text.split())
    marked = _marked_positions(text, terms.marked())
    if len(text) <= length:
        return render(text, marked)
    best_start, best, window = 0, -1, sum(marked[:length])
    for start in range(len(text) - length + 1):
        if start:
            window += marked[start + length - 1] - marked[start - 1]
        if window > best:
            best_start, best = start, window
    # Start a little before the first match, so it is read in context.
    first = next((i for i in range(best_start, best_start + length) if marked[i]), best_start)
    start = max(0, min(first - 10, len(text) - length))
    end = start + length
    return ("…" if start else "") + render(text[start:end], marked[start:end]) + ("…" if end < len(text) else "")
