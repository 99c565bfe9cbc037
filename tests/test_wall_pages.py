"""The public wall: home page, listing with filters, post pages and sitemap (search: search/test_page)."""

import re
from datetime import date
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from cases.models import Post
from tests.factories import make_category, make_editor, make_handler, make_kind, make_post, make_replied_post, make_unit
from wall.models import OfficeSettings, WallIndexPage


@pytest.fixture
def people():
    unit = make_unit("后勤管理处")
    return make_editor(), make_handler(unit), unit


def published(people, **kwargs):
    editor, handler, unit = people
    post = make_replied_post(editor, handler, unit, **kwargs)
    post.publish(editor)
    post.refresh_from_db()
    return post


def test_a_published_post_has_a_page_with_its_public_reply(client, people):
    post = published(people, body="热水 6:30 开始供应")
    html = client.get(post.page.url).content.decode()
    assert post.title in html
    assert "热水 6:30 开始供应" in html
    assert "后勤管理处" in html
    assert post.page.url.startswith("/wall/")


def test_a_page_keeps_its_public_replies_in_the_order_they_were_given(client, people):
    editor, handler, unit = people
    post = published(people, body="第一次答复")
    post.rate(1, 1, 1)  # unsatisfied: reopened, answered again
    post.reply(handler, "第二次答复", is_public=True)
    post.refresh_from_db()
    replies = list(post.page.public_replies.all())
    assert [reply.body for reply in replies] == ["第一次答复", "第二次答复"]
    assert [reply.sort_order for reply in replies] == [0, 1]  # stored, not left to the database's row order
    html = client.get(post.page.url).content.decode()
    assert html.index("第一次答复") < html.index("第二次答复")


def test_the_page_follows_the_case(client, people):
    editor, handler, unit = people
    post = published(people)
    post.close(handler)
    post.refresh_from_db()
    assert post.page.status == Post.Status.CLOSED
    assert "已办结" in client.get(post.page.url).content.decode()


def test_the_wall_lists_newest_first_and_filters(client, people):
    repair = make_kind("报修", "repair")
    old = published(people, title="旧的诉求")
    new = published(people, title="新的报修", kind=repair)
    wall = WallIndexPage.objects.get()
    titles = [p.title for p in client.get(wall.url).context["page_obj"]]
    assert titles == [new.title, old.title]
    filtered = client.get(wall.url, {"kind": repair.pk}).context["page_obj"]
    assert [p.title for p in filtered] == [new.title]


def test_the_wall_ignores_junk_filters(client, people):
    published(people)
    response = client.get(WallIndexPage.objects.get().url, {"kind": "x'; drop", "status": "nope", "page": "999"})
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 1


def test_the_home_page_shows_entries_answers_and_figures(client, people):
    make_kind("建议", "suggestion")
    post = published(people)
    html = client.get("/").content.decode()
    assert "我有建议" in html
    assert post.title in html
    assert "100.0%" in html  # the one post this month was answered on time


def test_the_sitemap_lists_published_posts(client, people):
    post = published(people)
    xml = client.get("/sitemap.xml").content.decode()
    assert post.page.url in xml


def test_category_filter_uses_the_category(client, people):
    canteen = make_category("餐饮服务")
    post = published(people, category=canteen)
    published(people)
    results = client.get(WallIndexPage.objects.get().url, {"category": canteen.pk}).context["page_obj"]
    assert [p.pk for p in results] == [post.page.pk]


def test_it_speaks_chinese_even_to_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "最新答复" in response.content.decode()


def test_the_switcher_turns_the_site_english(client):
    html = client.get("/wall/").content.decode()
    switch = reverse("wall:language", args=["en"]) + "?next=/wall/"
    assert f'href="{switch}"' in html  # a link, back to this page
    response = client.get(reverse("wall:language", args=["en"]), {"next": "/wall/"})
    assert response.status_code == 302 and response["Location"] == "/wall/"
    html = client.get("/").content.decode()
    assert "Latest answers" in html and "最新答复" not in html
    assert "简体中文" in html  # the way back, in its own language


def test_the_switcher_stays_on_this_site_and_knows_its_languages(client):
    response = client.get(reverse("wall:language", args=["zh-hans"]), {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    client.get(reverse("wall:language", args=["xx"]), {"next": "/"})
    assert "最新答复" in client.get("/").content.decode()  # an unknown language changes nothing


def test_the_sitemap_names_the_sites_address_and_no_page_that_only_redirects(client, people, settings):
    post = published(people)
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert f"{settings.WAGTAILADMIN_BASE_URL}{post.page.url}" in locations
    assert not [url for url in locations if "localhost" in url]
    for url in locations:
        assert client.get(urlsplit(url).path).status_code == 200, url


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_private_paths(client, settings):
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {settings.WAGTAILADMIN_BASE_URL}/sitemap.xml" in robots
    for path in ("/track/", "/admin/", "/api/"):
        assert f"Disallow: {path}" in robots


def test_the_home_page_title_names_the_site_once(client):
    title = re.search(r"<title>(.*?)</title>", client.get("/").content.decode()).group(1)
    assert title == "回音壁"


def test_a_public_cannot_solve_reply_shows_its_mark_and_date_on_the_wall(client, people):
    editor, handler, unit = people
    post = published(people, body="已登记")
    post.reply(handler, "需列入明年预算", is_public=True, cannot_solve=True, solve_by=date(2099, 3, 1))
    post.reply(handler, "内部说明：预算未批", is_public=False, cannot_solve=True, solve_by=date(2099, 4, 1))
    post.refresh_from_db()

    html = client.get(post.page.url).content.decode()

    assert html.count("data-cannot-solve") == 1 and "2099-03-01" in html
    assert "2099-04-01" not in html and "预算未批" not in html


def test_the_office_is_in_every_pages_footer_and_on_the_thanks_page_once_filled_in(client):
    assert "data-office" not in client.get("/").content.decode()  # nothing to show yet
    office = OfficeSettings.load()
    office.hotline, office.hours = "010-6275 1234", "工作日 8:30–17:30"
    office.save()
    post = make_post()

    for url in ("/", reverse("wall:thanks", args=[post.tracking_token])):
        html = client.get(url).content.decode()
        assert "data-office" in html and 'href="tel:010-62751234"' in html and "工作日 8:30–17:30" in html


def test_the_typical_cases_page_lists_the_picked_posts_that_are_public_now(client, people):
    editor = people[0]
    picked, withdrawn = published(people, title="饭卡丢了怎么补办"), published(people, title="已撤下的典型案例")
    published(people, title="没有选为典型的诉求")
    for post in (picked, withdrawn):
        post.set_typical(editor, True)
    withdrawn.unpublish(editor)

    html = client.get(reverse("wall:typical")).content.decode()

    assert "饭卡丢了怎么补办" in html and picked.page.url in html
    assert "已撤下的典型案例" not in html and "没有选为典型的诉求" not in html


def test_wall_cards_show_a_line_of_the_post(client, people):
    post = published(people)
    html = client.get(WallIndexPage.objects.get().url).content.decode()
    excerpt = re.search(r'<span class="card-excerpt">([^<]*)</span>', html).group(1)
    assert excerpt and post.body.startswith(excerpt.rstrip("…"))


def test_kinds_categories_and_units_show_their_english_names_in_english(client, people, settings):
    editor, handler, unit = people
    unit.name_en = "Logistics Office"
    unit.save()
    kind = make_kind("报修", "repair")
    kind.name_en = "Repair"
    kind.save()
    category = make_category("后勤保障")
    category.name_en = "Campus services"
    category.save()
    post = published(people, kind=kind, category=category)

    chinese = client.get(post.page.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(post.page.url).content.decode()
    form = client.get(reverse("wall:submit")).content.decode()

    assert "后勤管理处" in chinese and "Logistics Office" not in chinese
    assert all(name in english for name in ("Logistics Office", "Repair", "Campus services"))
    assert ">Repair</option>" in form and ">Campus services</option>" in form


def test_no_page_on_or_above_the_wall_can_be_made_private_in_wagtail(admin_client, client, people):
    """Search, the API and the statistics show every live wall page: a Wagtail view restriction on a
    wall page, or on a page above one, would hide the page and leave its text there. None is offered,
    and one sent anyway is refused."""
    post = published(people)
    pages = [Page.objects.get(depth=2), WallIndexPage.objects.get(), post.page.get_parent(), post.page]
    for page in pages:
        url = reverse("wagtailadmin_pages:set_privacy", args=[page.pk])
        assert "restriction_type" not in admin_client.get(url).json()["html"]  # no choice offered
        admin_client.post(url, {"restriction_type": "login"})
    assert not PageViewRestriction.objects.exists()
    assert client.get(post.page.url).status_code == 200


def test_the_upgrade_lifts_the_view_restrictions_set_before(client, people):
    """Set before this release, they could no longer be lifted in Wagtail: the migration lifts them."""
    post = published(people)
    for page in (Page.objects.get(depth=2), post.page):
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(post.page.url).status_code == 302  # to the login page

    import_module("wall.migrations.0020_no_view_restrictions").lift_restrictions(django_apps, None)

    assert not PageViewRestriction.objects.exists()
    assert client.get(post.page.url).status_code == 200
