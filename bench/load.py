"""The Python half of bench/load.sh: build a wall, pick the pages, post while wrk reads, count posts.

    python bench/load.py build --posts N          # demo data plus N imported posts, in $ECHOWALL_VAR_DIR
    python bench/load.py pages DIR                # the pages to load, and static files of their sizes in DIR
    python bench/load.py post URL KEY SECONDS RATE KIND CATEGORY OUT   # anonymous posts, ids to OUT
    python bench/load.py count OUT BEFORE         # posts acknowledged (ids in OUT) against posts stored

Each command runs with the environment load.sh sets (production settings, the var dir, its cache).
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from search_speed import DEFAULT_DATA, post_line, read_questions  # noqa: E402 - the same wall as that bench

SEARCH_QUERY = "宿舍 热水"


def manage(*args):
    subprocess.run([sys.executable, str(REPO / "manage.py"), *args], check=True, cwd=REPO)


def build(args):
    """Demo data (setup_site, seed_demo) plus posts imported through `import_posts --publish`."""
    manage("migrate", "--noinput", "--verbosity", "0")
    manage("setup_site", "--verbosity", "0")
    demo = [sys.executable, "manage.py", "seed_demo", "--force"]
    subprocess.run(demo, check=True, cwd=REPO, stdout=subprocess.DEVNULL)  # not its list of logins
    if args.posts:
        from datetime import UTC, datetime

        questions, rng, now = read_questions(args.data), random.Random(2026), datetime.now(UTC)
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as lines:
            for _ in range(args.posts):
                lines.write(json.dumps(post_line(questions, rng, now), ensure_ascii=False) + "\n")
            lines.flush()
            manage("import_posts", lines.name, "--publish")


def setup_django():
    import django

    django.setup()


def pages(args):
    """Print "name path" for each page to load, and write DIR/<name>.html of the same size as each."""
    setup_django()
    from django.test import Client

    from wall.models import WallPostPage

    posts = WallPostPage.objects.live().order_by("-posted_at")
    if not posts.exists():
        sys.exit("The wall has no post: run `load.py build` first.")
    post = posts[posts.count() // 2]  # from the middle of the wall: an imported post, with a reply
    chosen = {"home": "/", "wall": "/wall/", "post": post.url, "search": f"/search/?q={quote(SEARCH_QUERY)}"}
    args.dir.mkdir(parents=True, exist_ok=True)
    client = Client(HTTP_HOST="127.0.0.1")
    for name, path in chosen.items():
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
        size = len(response.content)
        filler = b"<!DOCTYPE html><title>ceiling</title>" + b"x" * size
        (args.dir / f"{name}.html").write_bytes(filler[:size])
        print(name, path, size)


def post(args):
    """Post anonymously through the API for SECONDS at about RATE posts a second; acknowledged ids to OUT.

    Acknowledged means 201 with an id: the client was told its post is stored.
    """
    stop = time.monotonic() + args.seconds
    acked, failures, lock = [], [], threading.Lock()
    body = {"kind": args.kind, "category": args.category, "title": "压测：宿舍热水几点供应"}
    body["body"] = "压测帖子：请问宿舍热水每天几点开始供应？"
    threads = 4

    def poster():
        interval = threads / args.rate
        while time.monotonic() < stop:
            started = time.monotonic()
            request = urllib.request.Request(
                args.url,
                data=json.dumps(body, ensure_ascii=False).encode(),
                headers={"Authorization": f"Bearer {args.key}", "Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    answer = json.loads(response.read())
                with lock:
                    (acked if response.status == 201 and answer.get("id") else failures).append(answer.get("id"))
            except (urllib.error.URLError, OSError, ValueError) as error:
                with lock:
                    failures.append(str(error))
            time.sleep(max(0, interval - (time.monotonic() - started)))

    workers = [threading.Thread(target=poster) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    args.out.write_text(json.dumps({"acked": acked, "failures": failures[:20], "failed": len(failures)}))


def count(args):
    setup_django()
    from cases.models import Post

    result = json.loads(args.out.read_text())
    acked = result["acked"]
    stored = Post.objects.count() - args.before
    found = Post.objects.filter(pk__in=acked).count()
    print(f"posts acknowledged {len(acked)}, stored {stored}, acknowledged and found {found}", end=", ")
    print(f"failed {result['failed']}")
    for failure in result["failures"]:
        print("  failure:", failure)
    return 0 if len(acked) == stored == found and not result["failed"] else 1


def prepare(args):
    setup_django()
    from api.models import ApiClient
    from cases.models import Category, Kind

    print(Kind.objects.order_by("pk").values_list("slug", flat=True).first())
    print(Category.objects.order_by("pk").values_list("pk", flat=True).first())
    client, _ = ApiClient.objects.get_or_create(name="load test")
    print(client.issue_key(label="bench/load.sh")[1])
    from cases.models import Post

    print(Post.objects.count())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(required=True)
    command = commands.add_parser("build")
    command.add_argument("--posts", type=int, default=10_000)
    command.add_argument("--data", type=Path, default=DEFAULT_DATA)
    command.set_defaults(run=build)
    command = commands.add_parser("pages")
    command.add_argument("dir", type=Path)
    command.set_defaults(run=pages)
    command = commands.add_parser("prepare", help="print a kind, a category id, a new API key, the post count")
    command.set_defaults(run=prepare)
    command = commands.add_parser("post")
    for name in ("url", "key"):
        command.add_argument(name)
    command.add_argument("seconds", type=float)
    command.add_argument("rate", type=float)
    command.add_argument("kind")
    command.add_argument("category", type=int)
    command.add_argument("out", type=Path)
    command.set_defaults(run=post)
    command = commands.add_parser("count")
    command.add_argument("out", type=Path)
    command.add_argument("before", type=int)
    command.set_defaults(run=count)
    args = parser.parse_args()
    os.chdir(REPO)
    sys.exit(args.run(args))


if __name__ == "__main__":
    main()
