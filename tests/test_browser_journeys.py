"""Whole journeys in a real browser (tests/browser.py), as people make them on the live site: a phone
for the poster and the visitors, the Wagtail admin for the editor and the handler. Screenshots of the
key pages land in test-artifacts/. Also: no serious or critical accessibility violation (axe-core) on
the pages the public sees."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import AnswerReused, CannedReply, Post
from tests import browser
from tests.factories import image_bytes, make_category, make_editor, make_handler, make_kind, make_unit, make_user

# Transactional (the live server reads what the test writes), with the pages the migrations made restored after each.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "pw-123456"  # tests.factories.make_user's


@pytest.fixture
def chromium():
    # One browser per test, not per module: while Playwright runs, the ORM in this thread gets
    # connections of its own, and the test database's restore between tests needs the first one.
    yield from browser.launch()


@pytest.fixture
def world(live_server):
    unit = make_unit("后勤管理处")
    make_kind("报修", "repair")
    make_category("后勤保障", default_unit=unit)
    return {
        "url": live_server.url,
        "unit": unit,
        "editor": make_editor(username="editor-b"),
        "handler": make_handler(unit, username="handler-b"),
    }


@pytest.fixture
def phone(chromium):
    """A phone that keeps to our Content-Security-Policy, as a visitor's does."""
    context = chromium.new_context(**browser.PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def checking_phone(chromium):
    """A phone for axe-core, whose injected script our Content-Security-Policy would refuse."""
    context = chromium.new_context(**browser.PHONE, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(chromium):
    """A staff member's desktop browser; log in with staff_login()."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    yield context.new_page()
    context.close()


def staff_login(page, url, user):
    page.goto(f"{url}/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/admin/")


def submit_post(page, url, title, body, photo=None, public=True):
    page.goto(url + "/")
    page.click("a.entry-repair")
    page.select_option("select[name=category]", label="后勤保障")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=body]", body)
    if not public:
        page.uncheck("input[name=wants_public]")
    if photo:
        page.set_input_files("input[name=photos]", files=[photo])
    if page.locator("input[name=captcha_1]").count():
        page.fill("input[name=captcha_1]", "PASSED")  # CAPTCHA_TEST_MODE
    page.click("form.post-form button[type=submit]")
    page.wait_for_url(re.compile(r"/post/thanks/"))
    return page.get_attribute("dl.tracking a", "href")


def open_case(page, url, queue, title):
    page.goto(f"{url}/admin/wall/posts/{queue}/")
    page.click(f"text={title}")


def test_an_anonymous_repair_request_from_a_phone_to_a_public_answer_and_a_reopen(world, phone, desk):
    url = world["url"]
    title, body = "三号楼302宿舍热水器不出热水", "从昨晚开始热水器一直不出热水，麻烦尽快派人看看。"
    photo = {"name": "heater.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(640, 480))}

    phone.goto(url + "/")
    browser.screenshot(phone, "01-home-phone")
    tracking = submit_post(phone, url, title, body, photo=photo)
    browser.screenshot(phone, "02-thanks-phone")
    post = Post.objects.get(title=title)
    assert (post.is_anonymous, post.poster, post.photos.count()) == (True, None, 1)

    staff_login(desk, url, world["editor"])
    open_case(desk, url, "screening", title)
    assert desk.input_value("select[name=accept-unit]") == str(world["unit"].pk)  # the category's unit
    desk.click("form[action$='/accept/'] button[type=submit]")
    desk.click("form[action$='/publish/'] button[type=submit]")
    browser.screenshot(desk, "03-case-file-editor")
    desk.context.clear_cookies()

    staff_login(desk, url, world["handler"])
    open_case(desk, url, "unreplied", title)
    desk.fill("form[action$='/reply/'] textarea[name=reply-body]", "已更换热水器温控阀，现已恢复供应。")
    desk.click("form[action$='/reply/'] button[type=submit]")
    post.refresh_from_db()
    assert post.status == Post.Status.REPLIED

    phone.goto(f"{url}/wall/")
    phone.click(f"text={title}")
    assert "已更换热水器温控阀" in phone.content()
    browser.screenshot(phone, "04-wall-post-phone")
    phone.goto(f"{url}/search/?q=热水器")
    assert title in phone.inner_text("ul.cards")
    browser.screenshot(phone, "05-search-phone")

    phone.goto(url + tracking)
    for score in ("attitude", "speed", "result"):
        phone.check(f"input[name={score}][value='1']")
    phone.fill("textarea[name=comment]", "还是不热。")
    phone.click("text=提交评价")
    browser.screenshot(phone, "06-track-reopened-phone")
    post.refresh_from_db()
    assert post.status == Post.Status.REOPENED and post.round == 2
    assert "重办" in phone.content()


def test_a_real_name_private_post_never_reaches_the_wall(world, phone, desk):
    url = world["url"]
    student = make_user(username="student-b", first_name="同学")
    phone.goto(f"{url}/accounts/login/")
    phone.fill("input[name=username]", student.username)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("form button[type=submit]")
    title = "宿舍楼门禁卡失灵只想私下反映"
    submit_post(phone, url, title, "我的门禁卡在北门刷不开，希望不要公开这条。", public=False)
    post = Post.objects.get(title=title)
    assert (post.poster, post.is_anonymous, post.wants_public) == (student, False, False)

    staff_login(desk, url, world["editor"])
    open_case(desk, url, "screening", title)
    desk.click("form[action$='/accept/'] button[type=submit]")
    assert desk.locator("form[action$='/publish/']").count() == 0  # the poster said no

    visitor = phone.context.browser.new_context(**browser.PHONE).new_page()
    for path in ("/wall/", "/search/?q=门禁卡", "/sitemap.xml", "/"):
        visitor.goto(url + path)
        assert title not in visitor.content(), path
    visitor.context.close()


@pytest.mark.parametrize(
    "path",
    ["/", "/wall/", "/post/new/", "/search/?q=热水", "/track/", "/typical/", "/stats/common-questions/", "/no-such/"],
)
def test_public_pages_have_no_serious_accessibility_violations(world, checking_phone, path):
    checking_phone.goto(world["url"] + path)
    assert browser.axe_violations(checking_phone) == []


def test_a_post_page_and_a_tracking_page_have_no_serious_accessibility_violations(world, checking_phone):
    url, phone = world["url"], checking_phone
    tracking = submit_post(phone, url, "图书馆二楼空调太冷", "二楼自习室空调温度太低，能否调高一些？")
    post = Post.objects.get(title="图书馆二楼空调太冷")
    post.accept(world["editor"], world["unit"])
    post.reply(world["handler"], "已调到 26 度。", is_public=True)
    post.publish(world["editor"])
    post.refresh_from_db()
    for path in (tracking, post.page.url):
        phone.goto(url + path)
        assert browser.axe_violations(phone) == [], path


def test_while_the_title_is_typed_similar_answered_posts_show_up_and_spare_a_post(world, phone):
    post = Post.objects.create(
        kind=make_kind("报修", "repair"),
        category=make_category("后勤保障"),
        title="宿舍热水器不出热水",
        body="热水器坏了。",
    )
    post.accept(world["editor"], world["unit"])
    post.reply(world["handler"], "已更换热水器温控阀。", is_public=True)
    post.publish(world["editor"])  # indexed on commit: this test's writes commit as they happen

    phone.goto(world["url"] + "/post/new/")
    phone.type("input[name=title]", "热水器不出热水怎么办", delay=30)
    suggestion = phone.locator("#similar li").first
    suggestion.wait_for()
    assert "宿舍热水器不出热水" in suggestion.inner_text() and "已答复" in suggestion.inner_text()
    assert suggestion.locator("a").get_attribute("href") == Post.objects.get(pk=post.pk).page.url
    browser.screenshot(phone, "07-similar-while-typing-phone")

    # "我的问题已解决": nothing is posted, the post opens and counts one question spared.
    posts_before = Post.objects.count()
    suggestion.locator("button.answered").click()
    phone.wait_for_url(world["url"] + Post.objects.get(pk=post.pk).page.url)
    text = phone.locator("main").inner_text()
    assert "这次没有提交新诉求" in text and "已有 1 人在这里找到答案" in text
    assert Post.objects.count() == posts_before
    assert AnswerReused.objects.get().wording == "热水器不出热水怎么办"  # their words, for the thesaurus


def test_on_a_phone_the_similar_box_stays_small_and_shows_alike_posts_as_one(world, phone):
    repair, logistics = make_kind("报修", "repair"), make_category("后勤保障")
    titles = ["三号楼热水器不出热水"] * 3 + ["五号楼热水器不出热水", "七号楼热水器漏水", "九号楼热水器很慢"]
    for title in titles:
        post = Post.objects.create(kind=repair, category=logistics, title=title, body="热水器坏了。")
        post.accept(world["editor"], world["unit"])
        post.reply(world["handler"], "已安排维修师傅上门检查热水器并更换了温控阀，" * 6, is_public=True)
        post.publish(world["editor"])

    phone.goto(world["url"] + "/post/new/")
    phone.type("input[name=title]", "三号楼热水器不出热水", delay=30)
    phone.locator("#similar li").first.wait_for()
    items = phone.locator("#similar li")
    assert items.count() == 3  # at most three on a phone
    assert "同类诉求 3 条" in items.first.inner_text()  # the three identical posts, shown once
    browser.screenshot(phone, "08-similar-box-compact-phone")
    excerpt = items.first.locator(".excerpt")
    height = excerpt.evaluate("e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).fontSize)")
    assert height < 2, "a long answer takes more than one line"
    body = phone.locator("textarea[name=body]").bounding_box()
    bottom = body["y"] + body["height"]
    assert bottom <= browser.PHONE["viewport"]["height"], "the similar box pushed the text field off the screen"

    phone.locator("#similar summary").click()  # folds away
    assert not items.first.is_visible()


def test_a_handlers_day_on_a_phone_canned_reply_next_post_and_the_closure_queue(world, phone):
    url, unit, editor = world["url"], world["unit"], world["editor"]
    first = make_accepted_post_for(editor, unit, "二号楼饮水机不出水")
    second = make_accepted_post_for(editor, unit, "五号楼走廊灯不亮")
    CannedReply.objects.create(title="已派维修", body="已派维修师傅上门处理，请留意。", unit=unit)

    staff_login(phone, url, world["handler"])
    assert "2 条诉求待答复" in phone.inner_text("#wall-queues-section")
    open_case(phone, url, "unreplied", first.title)
    form, poster = (phone.locator(s).bounding_box() for s in ("form[action$='/reply/']", "#poster-section"))
    assert form["y"] < poster["y"]  # on a phone the reply form comes before the poster's details
    phone.select_option("select[name=reply-canned]", label="已派维修")
    assert phone.input_value("textarea[name=reply-body]") == "已派维修师傅上门处理，请留意。"
    phone.fill("textarea[name=reply-body]", "已派维修师傅今天下午上门处理。")
    phone.click("form[action$='/reply/'] button[type=submit]")
    browser.screenshot(phone, "09-case-file-handler-phone")

    phone.click("text=下一条")
    assert second.title in phone.inner_text("h1")
    phone.fill("textarea[name=reply-body]", "已更换灯管。")
    phone.click("form[action$='/reply/'] button[type=submit]")

    phone.goto(f"{url}/admin/wall/posts/awaiting-closure/")
    assert first.title in phone.content() and second.title in phone.content()
    assert [reply.body for reply in first.replies.all()] == ["已派维修师傅今天下午上门处理。"]


def make_accepted_post_for(editor, unit, title):
    post = Post.objects.create(kind=make_kind("报修", "repair"), category=make_category("后勤保障"), title=title)
    post.body = f"{title}，麻烦尽快处理。"
    post.save()
    post.accept(editor, unit)
    return post


def test_a_mistyped_captcha_keeps_the_photo_and_the_next_try_sends_it(world, phone):
    url = world["url"]
    photo = {"name": "leak.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(size=(640, 480))}
    phone.goto(url + "/")
    phone.click("a.entry-repair")
    phone.select_option("select[name=category]", label="后勤保障")
    phone.fill("input[name=title]", "五号楼水房漏水")
    phone.fill("textarea[name=body]", "五号楼二层水房地面一直在漏水，请尽快维修。")
    phone.set_input_files("input[name=photos]", files=[photo])
    phone.fill("input[name=captcha_1]", "WRONG")
    phone.click("form.post-form button[type=submit]")

    expect(phone.locator(".kept-photo img")).to_have_count(1)
    # The page may paint before the kept photo arrives: wait for it to load, fail if it never shows.
    phone.wait_for_function("() => document.querySelector('.kept-photo img').naturalWidth > 0")
    assert phone.input_value("input[name=title]") == "五号楼水房漏水"
    old_picture = phone.get_attribute("[data-captcha-image]", "src")
    phone.click("[data-captcha-refresh]")  # 换一张
    expect(phone.locator("[data-captcha-image]")).not_to_have_attribute("src", old_picture)
    browser.screenshot(phone, "10-photo-kept-after-a-wrong-captcha-phone")

    phone.fill("input[name=captcha_1]", "PASSED")  # CAPTCHA_TEST_MODE
    phone.click("form.post-form button[type=submit]")
    phone.wait_for_url(re.compile(r"/post/thanks/"))
    assert "预计" in phone.inner_text("[data-promised-reply]")
    browser.screenshot(phone, "11-thanks-what-happens-next-phone")
    assert Post.objects.get(title="五号楼水房漏水").photos.count() == 1


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/typical/", "12-typical-cases-phone"),
        ("/stats/common-questions/", "13-common-questions-phone"),
        ("/track/not-a-token/", "14-not-found-phone"),
    ],
)
def test_the_new_public_pages_on_a_phone(world, phone, path, name):
    response = phone.goto(world["url"] + path)
    assert phone.locator("header.site-header").count() == 1
    assert response.status == (404 if "not-a-token" in path else 200)
    browser.screenshot(phone, name)
