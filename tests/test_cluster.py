"""Two nodes, proven (README "Several machines"): PostgreSQL, Redis, osmem as Elasticsearch, moto as
S3, two gunicorn nodes with folders of their own behind nginx, two task workers (tests/cluster.py).
Through nginx: posts with photos land on both nodes, a post taken off the wall leaves both nodes'
cached pages at once, a rate limit holds across nodes, each notification is delivered once, and with
one node killed mid-load nginx answers from the other and every acknowledged post is stored, on the
wall and found by search. This process acts as the editors' machine, through the same cache and queue.

ECHOWALL_CLUSTER_LOAD_SECONDS, _CLIENTS and _PAUSE_SECONDS shape the load; ECHOWALL_CLUSTER_REPORT
names a JSON file for the figures (bench/cluster.sh sets them)."""

import json
import os
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from captcha.models import CaptchaStore
from django.db import connection

from api.models import ApiClient
from cases.models import Post
from notifications.models import Notification
from tests import servers
from tests.cluster import Cluster, nginx_missing
from tests.factories import image_bytes, make_category, make_editor, make_handler, make_kind, make_unit
from tests.sso_fakes import FakeServer, _Handler
from tests.test_faults import shared_database_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WEB_POSTS_PER_IP = 6
LOAD_SECONDS = float(os.environ.get("ECHOWALL_CLUSTER_LOAD_SECONDS", "4"))
CLIENTS = int(os.environ.get("ECHOWALL_CLUSTER_CLIENTS", "3"))
# Each client's pause between posts: every acknowledged post is then published, one by one.
PAUSE_SECONDS = float(os.environ.get("ECHOWALL_CLUSTER_PAUSE_SECONDS", "0.25"))
SETTLE_SECONDS = 90


class _Robot(_Handler):
    """A unit's group robot: records each message it is sent."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.shared["requests"].append(body["text"]["content"])
        self._answer(200, '{"errcode": 0}', "application/json")


@pytest.fixture
def robot():
    with FakeServer(_Robot) as server:
        yield server


@pytest.fixture
def cluster(tmp_path, settings, robot, redis_server, elasticsearch_server, s3_server):
    if connection.vendor != "postgresql":
        pytest.skip("several machines share one PostgreSQL database: this runs in make test's PostgreSQL pass")
    if nginx_missing():
        servers.missing("nginx", "apt-get install nginx")
    import boto3

    bucket = f"cluster-{uuid.uuid4().hex[:12]}"
    keys = {"AWS_ACCESS_KEY_ID": "cluster-key", "AWS_SECRET_ACCESS_KEY": "cluster-secret"}
    s3 = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **{k.lower(): v for k, v in keys.items()})
    s3.create_bucket(Bucket=bucket)
    services = {
        "DATABASE_URL": shared_database_url(tmp_path),
        "REDIS_URL": redis_server,
        "ELASTICSEARCH_URL": elasticsearch_server,
        "ELASTICSEARCH_INDEX": bucket,
        "ECHOWALL_MEDIA_BUCKET": bucket,
        "ECHOWALL_MEDIA_ENDPOINT_URL": s3_server,
        **keys,
    }
    servers.use_redis(settings, redis_server)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ports = [servers.free_port() for _ in range(3)]
    limits = {"ECHOWALL_WEB_POSTS_PER_IP": str(WEB_POSTS_PER_IP), "ECHOWALL_API_WRITES_PER_CLIENT": "1000000"}
    with Cluster(tmp_path, ports, services, limits) as running:
        running.s3, running.bucket = s3, bucket
        yield running


@pytest.fixture
def desk(robot):
    """The wall's set-up: a kind, a category, a unit with its group robot, its people, an API key."""
    unit = make_unit("后勤管理处", webhook_url=robot.url)
    return {
        "kind": make_kind("报修", "repair"),
        "category": make_category(),
        "unit": unit,
        "editor": make_editor(),
        "handler": make_handler(unit),
        "key": ApiClient.objects.create(name="WeCom").issue_key()[1],
    }


class Browser:
    """A phone's browser on plain HTTP. The production cookies are Secure, which requests would keep
    back over HTTP, so they are carried by hand."""

    def __init__(self, url):
        self.url, self.cookies = url, {}

    def get(self, path):
        return self._keep(requests.get(self.url + path, cookies=self.cookies, timeout=30, allow_redirects=False))

    def post(self, path, data, files=None):
        data = {**data, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        response = requests.post(
            self.url + path, data=data, files=files, cookies=self.cookies, timeout=30, allow_redirects=False
        )
        return self._keep(response)

    def _keep(self, response):
        self.cookies.update(response.cookies.get_dict())
        return response


def web_post(browser, desk, title):
    key = CaptchaStore.generate_key()  # the picture the form would show; its answer from the shared database
    fields = {
        "kind": desk["kind"].pk,
        "category": desk["category"].pk,
        "title": title,
        "body": f"{title}：三号楼一层的热水器漏水，地面很滑，请尽快来修。",
        "wants_public": "on",
        "captcha_0": key,
        "captcha_1": CaptchaStore.objects.get(hashkey=key).response,
    }
    return browser.post("/post/new/", fields, files={"photos": ("IMG_0001.jpg", image_bytes(), "image/jpeg")})


def put_on_the_wall(posts, desk):
    for post in posts:
        post.accept(desk["editor"], desk["unit"])
        post.reply(desk["handler"], "已安排维修师傅今天下午上门。", is_public=True)
        post.publish(desk["editor"])


def wait_for(check, what):
    deadline = time.monotonic() + SETTLE_SECONDS
    while not check():
        assert time.monotonic() < deadline, f"{what} not within {SETTLE_SECONDS} s"
        time.sleep(0.3)


def found_by_search(cluster, title):
    found = requests.get(cluster.url + "/api/v1/posts", params={"q": title}, timeout=30).json()["results"]
    return title in [post["title"] for post in found]


def wait_until_found(cluster, titles):
    missing = list(titles)

    def found_all():
        missing[:] = [title for title in missing if not found_by_search(cluster, title)]
        return not missing

    wait_for(found_all, "every acknowledged post in search")


def api_load(cluster, desk, seconds, kill_at):
    """CLIENTS clients post through nginx for `seconds`; node 1 is killed `kill_at` seconds in."""
    results, lock, start = [], threading.Lock(), time.monotonic()

    def client(number):
        n = 0
        while time.monotonic() - start < seconds:
            n += 1
            title = f"接口报修 {number}-{n} 号 {uuid.uuid4().hex[:6]}"
            fields = {"kind": "repair", "category": desk["category"].pk, "title": title, "wants_public": True}
            fields["body"] = f"{title}：五号楼二层的水龙头一直在漏水，麻烦来修一下。"
            began = time.monotonic()
            try:
                response = requests.post(
                    cluster.url + "/api/v1/posts",
                    json=fields,
                    headers={"Authorization": f"Bearer {desk['key']}"},
                    timeout=30,
                )
                outcome = response.status_code, response.json().get("tracking_token") if response.ok else None
            except (requests.RequestException, ValueError) as error:
                outcome = type(error).__name__, None
            with lock:
                results.append((began - start, time.monotonic() - began, *outcome, title))
            time.sleep(PAUSE_SECONDS)

    with ThreadPoolExecutor(CLIENTS + 1) as pool:
        for number in range(CLIENTS):
            pool.submit(client, number)
        time.sleep(kill_at)
        cluster.kill_node(0)
        killed_at = time.monotonic() - start
    return results, killed_at


def test_two_nodes_behind_nginx(cluster, desk, robot):
    browser = Browser(cluster.url)
    assert browser.get("/post/new/").status_code == 200

    # Posts with photos, through nginx: on both nodes, each photo a private object in the one bucket.
    answers = [web_post(browser, desk, f"网页报修第{n}条") for n in range(WEB_POSTS_PER_IP)]
    assert [answer.status_code for answer in answers] == [302] * WEB_POSTS_PER_IP
    assert {answer.headers["X-Echowall-Node"] for answer in answers} == {
        url.removeprefix("http://") for url in cluster.node_urls
    }
    web_posts = list(Post.objects.filter(title__startswith="网页报修"))
    assert len(web_posts) == WEB_POSTS_PER_IP
    stored = {entry["Key"] for entry in cluster.s3.list_objects_v2(Bucket=cluster.bucket)["Contents"]}
    assert {post.photos.get().image.name for post in web_posts} <= stored

    # The rate limit is one count for the address, whichever node a post reaches.
    refused = [web_post(browser, desk, f"超限报修第{n}条") for n in range(2)]
    assert [answer.status_code for answer in refused] == [429, 429]
    assert len({answer.headers["X-Echowall-Node"] for answer in refused}) == 2
    assert not Post.objects.filter(title__startswith="超限报修").exists()

    # On the wall; a post taken off it leaves both nodes' cached pages at once.
    put_on_the_wall(web_posts, desk)
    taken_off = web_posts[0]
    taken_off.refresh_from_db()
    page_path = taken_off.page.url
    for node in cluster.node_urls:
        for _ in range(2):  # the second answer comes from the cache
            assert requests.get(node + page_path, timeout=30).status_code == 200
    photo = requests.get(f"{cluster.url}/photos/{taken_off.photos.get().pk}/", timeout=30)
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg"
    taken_off.unpublish(desk["editor"])
    assert [requests.get(node + page_path, timeout=30).status_code for node in cluster.node_urls] == [404, 404]

    # One node killed mid-load: nginx answers from the other; what was acknowledged is kept.
    results, killed_at = api_load(cluster, desk, LOAD_SECONDS, kill_at=LOAD_SECONDS / 2)
    acknowledged = {token: title for _, _, status, token, title in results if status == 201}
    failed = [(began, status) for began, _, status, _, _ in results if status != 201]
    # Only requests a node was working on as it died may fail: POST is not sent twice.
    assert len(failed) <= CLIENTS, failed
    assert not [began for began, _ in failed if began > killed_at + 1], failed
    assert [began for began, *_ in results if began > killed_at + 1], "no request after the kill"
    stored = Post.objects.filter(tracking_token__in=acknowledged)
    assert stored.count() == len(acknowledged)
    put_on_the_wall(list(stored), desk)
    for post in Post.objects.filter(tracking_token__in=acknowledged):
        assert requests.get(cluster.url + post.page.url, timeout=30).status_code == 200
    wait_until_found(cluster, acknowledged.values())
    assert all(found_by_search(cluster, post.title) for post in web_posts[1:])
    assert not found_by_search(cluster, taken_off.title)

    # Every notification delivered once, by two workers.
    robot_messages = Notification.objects.filter(channel=Notification.Channel.WEBHOOK)
    wait_for(lambda: not robot_messages.exclude(status=Notification.Status.SENT).exists(), "every notification")
    assert robot_messages.count() == len(web_posts) + len(acknowledged)  # one "routed" message a post
    assert len(robot.state["requests"]) == robot_messages.count()
    assert len(set(robot.state["requests"])) == len(robot.state["requests"])

    latencies = sorted(seconds for _, seconds, status, *_ in results if status == 201)
    report = {
        "load_seconds": LOAD_SECONDS,
        "clients": CLIENTS,
        "pause_seconds": PAUSE_SECONDS,
        "killed_at_seconds": round(killed_at, 1),
        "api_posts_sent": len(results),
        "api_posts_acknowledged": len(acknowledged),
        "api_posts_per_second": round(len(acknowledged) / LOAD_SECONDS, 1),
        "api_posts_failed_at_the_kill": len(failed),
        "stored_on_wall_and_found": len(acknowledged),
        "post_p50_ms": round(statistics.median(latencies) * 1000),
        "post_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000),
        "notifications_delivered_once": robot_messages.count(),
        "photos_in_bucket": len(web_posts),
    }
    if os.environ.get("ECHOWALL_CLUSTER_REPORT"):
        with open(os.environ["ECHOWALL_CLUSTER_REPORT"], "w") as out:
            json.dump(report, out, indent=2)
