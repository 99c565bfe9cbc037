"""How well similar() finds the question that asks the same thing: recall@5 and MRR@10 on LCQMC.

LCQMC's dev set pairs questions and says which pairs mean the same (label 1). Every distinct question
becomes a public, replied post, imported with `manage.py import_posts --publish` into a throwaway
database, so the pages, the publish signals and the index are the real ones. Then, for every
positive pair, similar(q1) — leaving out q1's own page — is asked where q2's page ranks, and the other
way round.

    .venv/bin/python bench/search_quality.py [--data ../shared/datasets/lcqmc-dev.tsv]

Two figures are printed per direction: the labelled partner's rank, as above; and, as a visitor
would judge it, the rank of the first question labelled the same intent as the query by any chain of
positive pairs (LCQMC pairs many questions with several paraphrases). `--corpus positives` puts only
the questions of positive pairs on the wall, leaving out the near-miss questions of negative pairs:
a wall where every question has been asked before in other words.

--quick skips the import and writes documents straight into the embedded backend (and into
Elasticsearch, when its backend is asked for): seconds instead of minutes, for trying weights. The
figures to report come from a run without it.

The Elasticsearch backend needs ELASTICSEARCH_URL set, and a generous ELASTICSEARCH_TIMEOUT: a
query that times out is answered by the embedded backend instead, which would be counted as its own:

    ELASTICSEARCH_URL=http://127.0.0.1:9200 ELASTICSEARCH_TIMEOUT=60 .venv/bin/python \
        bench/search_quality.py --backend search.backends.elastic.ElasticsearchBackend
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "datasets" / "lcqmc-dev.tsv"
EMBEDDED = "search.backends.embedded.EmbeddedBackend"
DEFAULT_BACKENDS = [EMBEDDED]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="LCQMC-style TSV: q1, q2, label")
    parser.add_argument("--backend", action="append", help="dotted path of a backend class (repeatable)")
    parser.add_argument("--limit", type=int, help="only the first N lines of the data")
    parser.add_argument("--quick", action="store_true", help="skip import and publishing (for tuning only)")
    parser.add_argument("--corpus", choices=["all", "positives"], default="all", help="which questions are posts")
    args = parser.parse_args()

    questions, pairs = read_pairs(args.data, args.limit)
    if args.corpus == "positives":
        questions = list(dict.fromkeys(question for pair in pairs for question in pair))
    print(f"{len(questions)} distinct questions, {len(pairs)} pairs with the same intent")
    with tempfile.TemporaryDirectory(prefix="echowall-bench-") as var_dir:
        os.environ["ECHOWALL_VAR_DIR"] = var_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        manage("migrate", "--noinput", "--verbosity", "0")
        manage("setup_site", "--verbosity", "0")
        started = time.monotonic()
        backends = args.backend or DEFAULT_BACKENDS
        if not args.quick:
            posts = Path(var_dir) / "posts.jsonl"
            write_posts(questions, posts)
            if os.environ.get("ELASTICSEARCH_URL"):
                manage("rebuild_search_index")  # an empty index for the publish signals to write to
            manage("import_posts", str(posts), "--publish")
        setup_django()
        if args.quick:
            index_directly(questions, backends)
        print(f"indexed in {time.monotonic() - started:.0f} s")
        page_ids = pages_by_title(args.quick)
        held_out(pairs, page_ids, backends, questions)
        for backend_path in backends:
            evaluate(backend_path, pairs, page_ids, same_intent(pairs))


def read_pairs(path, limit=None):
    questions, pairs = {}, []
    with open(path, encoding="utf-8") as data:
        for number, line in enumerate(data, start=1):
            if limit and number > limit:
                break
            q1, q2, label = (part.strip() for part in line.rstrip("\n").split("\t"))
            questions.setdefault(q1, None)
            questions.setdefault(q2, None)
            if label == "1" and q1 != q2:
                pairs.append((q1, q2))
    return list(questions), pairs


def same_intent(pairs):
    """{question: the questions that mean the same by any chain of positive pairs, itself included}."""
    groups = {}
    for q1, q2 in pairs:
        merged = groups.get(q1, {q1}) | groups.get(q2, {q2})
        for question in merged:
            groups[question] = merged
    return groups


def write_posts(questions, path):
    with open(path, "w", encoding="utf-8") as out:
        for question in questions:
            post = {
                "title": question,
                "body": question,
                "kind": "咨询",
                "category": "其它",
                "unit": "其它",
                "status": "replied",
                "is_public": True,
            }
            out.write(json.dumps(post, ensure_ascii=False) + "\n")


def manage(*args):
    subprocess.run([sys.executable, str(REPO / "manage.py"), *args], check=True, cwd=REPO)


def setup_django():
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def index_directly(questions, backends):
    from search.backends.embedded import EmbeddedBackend
    from search.documents import Document

    documents = [
        Document(i, q, q, (), 1, "咨询", 1, "其它", None, "", "replied", 2024, "") for i, q in enumerate(questions, 1)
    ]
    batches = [documents[start : start + 1000] for start in range(0, len(documents), 1000)]
    for batch in batches:
        EmbeddedBackend()._write(batch)
    from django.utils.module_loading import import_string

    from search.backends.elastic import ElasticsearchBackend

    if any(issubclass(import_string(path), ElasticsearchBackend) for path in backends):
        ElasticsearchBackend()._replace(batches)


def pages_by_title(quick):
    # The wall's pages, not the index: a question the index lost must count as not found.
    from search.models import IndexedPage
    from wall.models import WallPostPage

    pages = IndexedPage.objects.values_list("title", "page_id") if quick else WallPostPage.objects.live()
    if not quick:
        pages = pages.values_list("title", "pk")
    return dict(pages)


def held_out(pairs, page_ids, backends, questions):
    """The protocol of the held-out check: documents are every question of the split, queries the q1 of
    each positive pair, a hit its q2 in the first five (the query's own page left out), one direction.
    Beside each backend, the baseline it must beat: textbook BM25 over characters plus jieba's words."""
    from django.utils.module_loading import import_string

    asked = [(q1, q2) for q1, q2 in pairs if q1 in page_ids and q2 in page_ids]
    print(f"\nheld-out protocol: {len(questions)} documents, {len(asked)} queries (q1 → q2)")
    baseline = Bm25Baseline(questions)
    ranked = {q1: [page_ids[q] for q in baseline.top(q1, 10) if q in page_ids] for q1, _ in asked}
    report("baseline: BM25 over characters + jieba words", asked, page_ids, ranked)
    for backend_path in backends:
        backend = import_string(backend_path)()
        ranked = {
            q1: [hit.page_id for hit in backend.similar(q1, limit=10, exclude_page_id=page_ids[q1])] for q1, _ in asked
        }
        report(backend_path, asked, page_ids, ranked)


def report(name, asked, page_ids, ranked):
    recall = mrr = 0.0
    for q1, q2 in asked:
        ranks = [page for page in ranked[q1] if page != page_ids[q1]][:10]
        rank = next((n for n, page in enumerate(ranks, start=1) if page == page_ids[q2]), None)
        if rank:
            recall += rank <= 5
            mrr += 1 / rank
    print(f"  {name}: recall@5 {recall / len(asked):.4f}  MRR@10 {mrr / len(asked):.4f}")


class Bm25Baseline:
    """Textbook BM25 (k1 1.2, b 0.75, Lucene's idf) over each question's Chinese characters and jieba's
    words (precise mode) in one bag, as the held-out figures' baseline is described."""

    K1, B = 1.2, 0.75

    def __init__(self, documents):
        import math
        from collections import Counter, defaultdict

        self.documents = documents
        self.counts = [Counter(self.tokens(document)) for document in documents]
        self.lengths = [sum(counts.values()) for counts in self.counts]
        self.average = sum(self.lengths) / len(self.lengths)
        self.postings = defaultdict(list)
        for number, counts in enumerate(self.counts):
            for token, count in counts.items():
                self.postings[token].append((number, count))
        total = len(documents)
        self.idf = {
            token: math.log(1 + (total - len(held) + 0.5) / (len(held) + 0.5)) for token, held in self.postings.items()
        }

    @staticmethod
    def tokens(text):
        import jieba

        from search import segment

        text = segment.normalize(text)
        words = [word for word in jieba.lcut(text) if segment._TOKEN.fullmatch(word)]
        return segment.chars(text) + words

    def top(self, query, limit):
        from collections import defaultdict

        scores = defaultdict(float)
        for token in set(self.tokens(query)):
            idf = self.idf.get(token)
            if idf is None:
                continue
            for number, count in self.postings[token]:
                norm = self.K1 * (1 - self.B + self.B * self.lengths[number] / self.average)
                scores[number] += idf * count * (self.K1 + 1) / (count + norm)
        best = sorted(scores, key=lambda number: -scores[number])[: limit + 1]
        return [self.documents[number] for number in best if self.documents[number] != query][:limit]


def evaluate(backend_path, pairs, page_ids, groups):
    from django.utils.module_loading import import_string

    backend = import_string(backend_path)()
    started = time.monotonic()
    figures = []
    for direction in ("q1 → q2", "q2 → q1"):
        found = {"partner": [0, 0.0], "same intent": [0, 0.0]}  # found in the top 5, reciprocal ranks
        asked = 0
        for q1, q2 in pairs:
            if direction == "q2 → q1":
                q1, q2 = q2, q1
            if q1 not in page_ids or q2 not in page_ids:
                continue
            asked += 1
            hits = backend.similar(q1, limit=10, exclude_page_id=page_ids[q1])
            ranked = [hit.page_id for hit in hits]
            relevant = {page_ids[q] for q in groups[q1] if q != q1 and q in page_ids}
            for name, wanted in (("partner", {page_ids[q2]}), ("same intent", relevant)):
                rank = next((n for n, page_id in enumerate(ranked, start=1) if page_id in wanted), None)
                if rank:
                    found[name][0] += rank <= 5
                    found[name][1] += 1 / rank
        figures.append((direction, asked, found))
    seconds = time.monotonic() - started
    queries = sum(asked for _, asked, _ in figures)
    print(f"\n{backend_path}  ({queries} queries, {1000 * seconds / queries:.1f} ms each)")
    for name in ("partner", "same intent"):
        print(f"  {name}:")
        for direction, asked, found in figures:
            recall, mrr = (value / asked for value in found[name])
            print(f"    {direction}: recall@5 {recall:.4f}  MRR@10 {mrr:.4f}  ({asked} pairs)")
        recall = sum(found[name][0] / asked for _, asked, found in figures) / len(figures)
        mrr = sum(found[name][1] / asked for _, asked, found in figures) / len(figures)
        print(f"    mean:    recall@5 {recall:.4f}  MRR@10 {mrr:.4f}")


if __name__ == "__main__":
    main()
