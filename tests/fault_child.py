"""A web client in a process of its own, for tests/test_faults.py: it sends one post with two photos
through the real submit view (Django's test client, the whole middleware stack) to the database
named by DATABASE_URL, and reports on stdout, one JSON object or line per step.

    python -m tests.fault_child pause FORM_JSON   stops while storing the second photo, inside the
                                                   post's transaction, and waits to be killed
    python -m tests.fault_child post FORM_JSON    posts once
    python -m tests.fault_child retry FORM_JSON   posts when told ("go" on stdin), reports, and
                                                   posts again when told ("again")
"""

import json
import sys
import time

import django


def photos():
    from tests.factories import image_upload

    return [image_upload("a.jpg"), image_upload("b.jpg")]


def send(client, form):
    response = client.post("/post/new/", {**form, "photos": photos()})
    return {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "retry_after": response.get("Retry-After", ""),
        "body": response.content.decode(),
    }


def pause_in_second_photo(title):
    """Hold the process while the second photo is written, after the post and the first photo's
    row were inserted but before the transaction commits; say what the transaction holds."""
    from django.core.files.storage import FileSystemStorage

    from cases.models import Post, PostPhoto

    original, saved = FileSystemStorage._save, []

    def save(storage, name, content):
        saved.append(name)
        if len(saved) == 2:
            inside = {
                "posts": Post.objects.filter(title=title).count(),
                "photos": PostPhoto.objects.filter(post__title=title).count(),
            }
            print(json.dumps({"inside_transaction": inside}), flush=True)
            time.sleep(120)  # the test kills us here
        return original(storage, name, content)

    FileSystemStorage._save = save


def main(mode, form):
    django.setup()
    from django.test import Client

    from cases.models import Kind

    client = Client()
    Kind.objects.count()  # connected (SQLite in WAL mode) before the test takes its lock
    if mode == "pause":
        pause_in_second_photo(form["title"])
        print(json.dumps(send(client, form)), flush=True)  # not reached if killed in time
    elif mode == "post":
        print(json.dumps(send(client, form)), flush=True)
    elif mode == "retry":
        print("ready", flush=True)
        for expected in ("go", "again"):
            assert sys.stdin.readline().strip() == expected
            print(json.dumps(send(client, form)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
