"""How fast the embedded backend answers at 10k and 100k posts: the similar endpoint and the search page.

A throwaway wall (SQLite, `ECHOWALL_VAR_DIR` in a temporary folder, or --var-dir to keep and reuse it)
is filled with public, replied posts through the import path (`wall.importing`, what `import_posts
--publish` runs: posts, then pages and index entries in batches). Titles and texts are real Chinese
questions from LCQMC (read from beside the repository, never copied into it). Then, in the same
process, Django's test client asks `GET /api/v1/similar?q=` with whole questions and `GET /search/?q=`
with a word or two taken from them, and prints p50/p95/max per size. Also the resident memory the
segmenter adds to a process.

    .venv/bin/python bench/search_speed.py [--sizes 10000 100000] [--var-dir DIR] [--queries 500]
    .venv/bin/python bench/search_speed.py --engine --sizes 100000 1000000 --var-dir DIR

With --var-dir a second run reuses the wall and only tops up to the next size. --engine fills the
index alone (no pages: a million documents in a few minutes instead of hours through the import)
and times the backend's search() and similar() without HTTP.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "lcqmc-dev.tsv"
KINDS = ["咨询", "建议", "报修", "投诉", "求助"]
CATEGORIES = ["宿舍", "食堂", "教学", "网络", "交通", "安全", "图书馆", "体育", "医疗", "其它"]
UNITS = ["后勤管理处", "教务处", "信息化建设与管理处", "保卫处", "图书馆", "学生工作处", "校医院", "体育部"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="LCQMC-style TSV: q1, q2, label")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--var-dir", type=Path, help="keep the wall here and reuse it (default: a temporary folder)")
    parser.add_argument("--queries", type=int, default=500, help="requests per endpoint and size")
    parser.add_argument(
        "--engine",
        action="store_true",
        help="fill the index alone (no wall pages; one question a title, one a text, one a reply) and time "
        "the backend's search() and similar() without HTTP: how a million posts is reached in minutes",
    )
    args = parser.parse_args()

    print(f"segmenter: {segmenter_memory_mb():.0f} MB of resident memory added to a process that searches")
    questions = read_questions(args.data)
    with tempfile.TemporaryDirectory(prefix="echowall-speed-") as temporary:
        var_dir = args.var_dir or Path(temporary)
        var_dir.mkdir(parents=True, exist_ok=True)
        os.environ["ECHOWALL_VAR_DIR"] = str(var_dir)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        # Measure the search itself: a page served from the page cache (wall.pagecache) says nothing of it.
        os.environ["ECHOWALL_PAGE_CACHE_SECONDS"] = "0"
        manage("migrate", "--noinput", "--verbosity", "0")
        manage("setup_site", "--verbosity", "0")
        setup_django()
        rng = random.Random(2026)
        for size in sorted(args.sizes):
            if args.engine:
                fill_index(size, questions, rng)
                measure_engine(size, questions, rng, args.queries)
            else:
                fill(size, questions, rng)
                measure(size, questions, rng, args.queries)


def read_questions(path):
    with open(path, encoding="utf-8") as data:
        return list(dict.fromkeys(q.strip() for line in data for q in line.split("\t")[:2] if q.strip()))


def segmenter_memory_mb():
    """RSS of a fresh Django process after its first query, minus the same process without searching."""
    probe = (
        "import django, os, re; django.setup(); "
        "rss = lambda: int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); "
        "before = rss(); from search import segment; segment.query_terms('宿舍热水器坏了'); print(rss() - before)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    out = subprocess.run([sys.executable, "-c", probe], check=True, cwd=REPO, env=env, capture_output=True, text=True)
    return int(out.stdout.split()[-1]) / 1024


def manage(*args):
    subprocess.run([sys.executable, str(REPO / "manage.py"), *args], check=True, cwd=REPO)


def setup_django():
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log growing through thousands of requests


def fill(size, questions, rng):
    from django.utils import timezone

    from search.models import IndexedPage
    from wall.importing import Importer, parse_line
    from wall.models import WallPostPage

    have = WallPostPage.objects.live().count()
    if have >= size:
        print(f"\n{have} posts on the wall already")
        return
    started = time.monotonic()
    now = timezone.now()
    importer = Importer(publish=True)
    for number in range(have, size):
        importer.save(parse_line(json.dumps(post_line(questions, rng, now), ensure_ascii=False), now))
        if number % 10000 == 9999:
            print(f"  {number + 1} posts, {time.monotonic() - started:.0f} s", flush=True)
    importer.finish()
    imported = time.monotonic() - started
    indexed = IndexedPage.objects.count()
    print(f"\n{size} posts: imported, published and indexed {size - have} in {imported:.0f} s ({indexed} indexed)")


def fill_index(size, questions, rng):
    """Documents straight into the embedded index, each question segmented once (a cache in front of
    search.segment): a million in minutes rather than hours through the import path."""
    from functools import lru_cache

    from django.db import transaction

    from search import segment
    from search.backends.embedded import EmbeddedBackend
    from search.documents import Document
    from search.models import IndexedPage

    for name in ("words", "chars", "bigrams"):
        setattr(segment, name, _cached_list(lru_cache(maxsize=None)(getattr(segment, name))))
    have = IndexedPage.objects.count()
    started, backend, batch = time.monotonic(), EmbeddedBackend(), []
    for page_id in range(have + 1, size + 1):
        title, body, reply = (rng.choice(questions) for _ in range(3))
        kind, category, unit = rng.randrange(len(KINDS)), rng.randrange(len(CATEGORIES)), rng.randrange(len(UNITS))
        batch.append(
            Document(
                page_id,
                title,
                body,
                (reply,),
                kind + 1,
                KINDS[kind],
                category + 1,
                CATEGORIES[category],
                unit + 1,
                UNITS[unit],
                "replied",
                rng.choice([2024, 2025, 2026]),
                f"/wall/{page_id}/",
            )
        )
        if len(batch) == 5000 or page_id == size:
            with transaction.atomic():
                backend._write(batch)  # what index() writes, without building documents from pages
            batch = []
            print(f"  {page_id} documents, {time.monotonic() - started:.0f} s", flush=True)
    print(f"\n{size} documents in the index ({size - have} written in {time.monotonic() - started:.0f} s)")


def _cached_list(cached):
    return lambda text: list(cached(text))


def post_line(questions, rng, now):
    title = rng.choice(questions)
    created = now - timedelta(days=rng.uniform(1, 3 * 365))
    return {
        "title": title,
        "body": "".join(rng.sample(questions, 3)),
        "kind": rng.choice(KINDS),
        "category": rng.choice(CATEGORIES),
        "unit": rng.choice(UNITS),
        "status": "replied",
        "is_public": True,
        "created_at": created.isoformat(),
        "replies": [{"body": "".join(rng.sample(questions, 2)), "is_public": True}],
    }


def measure(size, questions, rng, count):
    """Through Django's test client: GET /api/v1/similar and GET /search/, as a visitor asks."""
    from django.test import Client

    client = Client()

    def asker(path):
        def ask(query):
            response = client.get(path, {"q": query})
            assert response.status_code == 200, (path, query, response.status_code)

        return ask

    timed([("similar", asker("/api/v1/similar")), ("search page", asker("/search/"))], questions, rng, count)


def measure_engine(size, questions, rng, count):
    """The backend alone: similar() and search(), without HTTP, pages or templates."""
    from search.backends import get_backend

    backend = get_backend()
    timed([("similar", backend.similar), ("search", backend.search)], questions, rng, count)


def timed(askers, questions, rng, count):
    """p50/p95/max of each (name, ask): similar with whole questions, searches with a word or two of one."""
    from search import segment

    similar = [rng.choice(questions) for _ in range(count)]
    searches = []
    for question in rng.sample(questions, count):
        words = segment.words(question)
        searches.append(" ".join(rng.sample(words, min(2, len(words)))))
    askers[0][1](similar[0])  # the first question loads the segmenter
    for (name, ask), queries in zip(askers, (similar, searches), strict=True):
        times = []
        for query in queries:
            started = time.perf_counter()
            ask(query)
            times.append(1000 * (time.perf_counter() - started))
        times.sort()
        p95 = times[int(0.95 * len(times)) - 1]
        print(f"  {name:12} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   max {times[-1]:6.1f} ms")


if __name__ == "__main__":
    main()
