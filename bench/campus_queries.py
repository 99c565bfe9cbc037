"""Does what a student types find the post it means? Campus queries, the first five of the search page and of similar.

bench/campus_queries.json holds cases — a post as a student or a member of staff would write it on
the wall, with its reply, and one or two queries a student would type to find it (words with spaces,
other words for the same thing, typos, English) — and distractors: posts on nearby topics that
compete for the same words. All of them become public, replied posts, imported with `manage.py
import_posts --publish` into a throwaway wall, with the default campus thesaurus in use; `--filler N`
adds N more from LCQMC's questions (read from beside the repository, never copied into it). Then each
query is asked of the search page's ranking (`search(query).hits`) and of the similar box
(`similar(query, limit=5)`); it passes when its post's page is in the first five.

    .venv/bin/python bench/campus_queries.py [--filler 5000] [--var-dir DIR]

With --var-dir the wall is kept there, and a second run with the same folder only asks the queries
again (to try a ranking change without importing anew).

A miss is printed with the post it should have found and the first five titles of each answer.
The Elasticsearch backend needs ELASTICSEARCH_URL set, and a generous ELASTICSEARCH_TIMEOUT (a query
that times out is answered by the embedded backend instead, and is counted as Elasticsearch's):

    ELASTICSEARCH_URL=http://127.0.0.1:9200 ELASTICSEARCH_TIMEOUT=60 .venv/bin/python \
        bench/campus_queries.py --backend search.backends.elastic.ElasticsearchBackend
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CASES = Path(__file__).resolve().parent / "campus_queries.json"
DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "lcqmc-dev.tsv"
FIRST = 5
FILLER_CATEGORIES = ["宿舍", "食堂", "教学", "网络", "交通", "安全", "图书馆", "体育", "医疗", "其它"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="the cases and distractors (JSON)")
    parser.add_argument("--backend", help="dotted path of a backend class (default: the configured one)")
    parser.add_argument("--filler", type=int, default=0, help="this many more posts from LCQMC's questions")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="LCQMC-style TSV for --filler")
    parser.add_argument("--var-dir", type=Path, help="keep the wall here and reuse it (default: a temporary folder)")
    args = parser.parse_args()

    with open(args.cases, encoding="utf-8") as data:
        wall = json.load(data)
    cases, distractors = wall["cases"], wall["distractors"]
    rng = random.Random(2026)
    ours = {post["title"] for post in cases + distractors}
    filler = filler_posts(args.data, args.filler, ours, rng) if args.filler else []
    queries = sum(len(case["queries"]) for case in cases)
    print(f"{len(cases)} cases ({queries} queries), {len(distractors)} distractors, {len(filler)} filler posts")
    with tempfile.TemporaryDirectory(prefix="echowall-campus-") as temporary:
        var_dir = args.var_dir or Path(temporary)
        var_dir.mkdir(parents=True, exist_ok=True)
        filled = (var_dir / "echowall.sqlite3").exists()
        os.environ["ECHOWALL_VAR_DIR"] = str(var_dir)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        manage("migrate", "--noinput", "--verbosity", "0")
        if not filled:
            fill(var_dir, cases + distractors + filler, rng)
        setup_django()
        evaluate(backend(args.backend), cases, pages_by_title())


def fill(var_dir, posts, rng):
    manage("setup_site", "--verbosity", "0")
    started = time.monotonic()
    path = var_dir / "posts.jsonl"
    write_posts(posts, path, rng)
    if os.environ.get("ELASTICSEARCH_URL"):
        manage("rebuild_search_index")  # an empty index for the publish signals to write to
    manage("import_posts", str(path), "--publish")
    print(f"imported in {time.monotonic() - started:.0f} s")


def filler_posts(path, count, ours, rng):
    """count LCQMC questions as posts: the question as title, others as text and reply, as search_speed.py does."""
    with open(path, encoding="utf-8") as data:
        questions = list(dict.fromkeys(q.strip() for line in data for q in line.split("\t")[:2] if q.strip()))
    titles = [question for question in questions if question not in ours]
    rng.shuffle(titles)
    return [
        {
            "title": title,
            "body": "".join([title, *rng.sample(questions, 2)]),
            "reply": "".join(rng.sample(questions, 2)),
            "kind": "咨询",
            "category": rng.choice(FILLER_CATEGORIES),
            "unit": "其它",
        }
        for title in titles[:count]
    ]


def write_posts(posts, path, rng):
    now = datetime.now(UTC)
    with open(path, "w", encoding="utf-8") as out:
        for post in posts:
            # Spread over the last year, so that no ranking can lean on the order of the file.
            created = now - timedelta(days=rng.uniform(2, 365))
            line = {
                "title": post["title"],
                "body": post["body"],
                "kind": post.get("kind", "咨询"),
                "category": post.get("category", "其它"),
                "unit": post.get("unit", "其它"),
                "status": "replied",
                "is_public": True,
                "created_at": created.isoformat(),
            }
            if post.get("reply"):
                replied = created + timedelta(hours=20)
                line["replies"] = [{"body": post["reply"], "is_public": True, "created_at": replied.isoformat()}]
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


def manage(*args):
    subprocess.run([sys.executable, str(REPO / "manage.py"), *args], check=True, cwd=REPO)


def setup_django():
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def backend(path):
    from django.utils.module_loading import import_string

    from search.backends import get_backend

    return import_string(path)() if path else get_backend()


def pages_by_title():
    # The wall's pages, not the index: a post the index lost must count as not found.
    from wall.models import WallPostPage

    return dict(WallPostPage.objects.live().values_list("title", "pk"))


def evaluate(backend, cases, page_ids):
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    asked = found_page = found_similar = degraded = 0
    started = time.monotonic()
    for case in cases:
        wanted = page_ids.get(case["title"])
        if wanted is None:
            print(f"  not on the wall: {case['title']}")
        for query in case["queries"]:
            asked += 1
            results = backend.search(query)
            degraded += results.degraded
            page = [hit.page_id for hit in results.hits]
            similar = backend.similar(query, limit=FIRST)
            found_page += wanted in page[:FIRST]
            found_similar += wanted in [hit.page_id for hit in similar]
            if wanted not in page[:FIRST] or wanted not in [hit.page_id for hit in similar]:
                report_miss(query, case["title"], wanted, results.hits, similar)
    seconds = time.monotonic() - started
    print(f"\n{name}  ({asked} queries, {1000 * seconds / asked:.0f} ms each for both)")
    if degraded:
        print(f"  {degraded} searches were answered by the fallback backend (degraded)")
    print(f"  search page: {found_page} of {asked} in the first five; similar: {found_similar} of {asked}")


def report_miss(query, title, wanted, page_hits, similar_hits):
    print(f"\nmiss: 「{query}」 → {title}")
    for label, hits in (("search page", page_hits), ("similar", similar_hits)):
        ranked = [hit.page_id for hit in hits]
        if wanted in ranked[:FIRST]:
            verdict = "ok"
        elif wanted in ranked:
            verdict = f"rank {ranked.index(wanted) + 1}"
        else:
            verdict = f"not in {len(ranked)} hits"
        titles = " | ".join(hit.title for hit in hits[:FIRST]) or "(nothing)"
        print(f"  {label:11} {verdict:18} {titles}")


if __name__ == "__main__":
    main()
