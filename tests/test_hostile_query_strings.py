"""Hostile query strings (security issue #21, finding 5): whatever a visitor puts in a public
address's query string, or in place of an id in its path, the answer is a page, a 400 or a 404 —
never a server error. On the HTML pages a junk filter is ignored; Open311 refuses an impossible
date in its own error format, and a range at the calendar's ends lists what little lies there."""

from datetime import date, datetime, timedelta
from urllib.parse import quote

import hypothesis
import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from cases import params
from stats.forms import RankingForm
from tests.factories import make_accepted_post, make_editor, make_handler, make_unit, make_user

FUZZ = hypothesis.settings(
    max_examples=30,
    deadline=None,
    database=None,  # nothing written outside the test run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# What isdigit() calls a digit and int() reads otherwise, or not at all.
UNICODE_DIGITS = ["²", "٣", "１", "𝟗", "12²", "١٢٣", "߁"]
NUMBERS = [str(2**63 - 1), str(2**63), str(2**64), "9" * 25, "9" * 5000, "0", "-1", "1.5", "1e9", " 1", "1\n", "0x10"]
DATES = [
    "2026-02-30",
    "2026-13-01",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "2026-01-01T00:00:00+99:00",
    "２０２６-０１-０１",
]
# PostgreSQL refuses text holding NUL even in a lookup.
NUL = ["\x00", "a\x00b", "question\x00-1"]
HOSTILE_VALUES = st.one_of(
    st.text(),
    st.sampled_from(UNICODE_DIGITS + NUMBERS + DATES + NUL),
    st.integers().map(str),
    st.dates().map(date.isoformat),
    st.datetimes(timezones=st.timezones()).map(datetime.isoformat),
)
# Every public address that reads its query string, with what it needs to read the rest.
QUERIES = [
    ("/wall/", {}, ["kind", "category", "unit", "status", "page"]),
    ("/search/", {"q": "热水"}, ["q", "page", "kind", "category", "unit", "status", "year"]),
    ("/api/v1/posts", {}, ["q", "page", "per_page", "kind", "category", "unit", "status"]),
    ("/api/v1/posts", {"q": "热水"}, ["page", "per_page", "kind", "category", "unit", "status"]),
    ("/api/v1/similar", {"q": "热水"}, ["q", "limit"]),
    ("/open311/v2/requests.json", {}, ["start_date", "end_date", "status", "service_code", "service_request_id"]),
    ("/open311/v2/requests.xml", {"start_date": "2026-01-01"}, ["end_date"]),
]
# Public addresses with an id, a code holding one, or a token in their path.
PATHS = [
    "/open311/v2/requests/{}.json",
    "/open311/v2/services/question-{}.json",
    "/api/v1/posts/{}",
    "/api/v1/track/{}",
    "/photos/{}/",
]
# The addresses of the issue, and their kin.
LISTED = [
    "/wall/?kind=%C2%B2",
    "/wall/?kind=9999999999999999999999999",
    "/wall/?unit=%C2%B2&page=%C2%B2",
    "/search/?q=a&page=%C2%B2",
    "/search/?q=a&kind=%C2%B2&year=%C2%B2",
    "/open311/v2/requests/%C2%B2.json",
    "/open311/v2/requests/99999999999999999999999.json",
    "/open311/v2/services/question-%C2%B2.json",
    "/open311/v2/requests.json?service_code=question-%C2%B2",
    "/open311/v2/requests.json?service_request_id=%C2%B2",
    "/open311/v2/requests.json?service_request_id=99999999999999999999999",
    "/open311/v2/requests.json?start_date=2026-02-30",
    "/open311/v2/requests.json?end_date=0001-01-01",
    "/open311/v2/requests.json?start_date=9999-12-31",
    "/open311/v2/requests.json?start_date=0001-01-01T00:00:00%2B08:00",
    "/open311/v2/requests.json?end_date=9999-12-31T23:59:59-12:00",
    "/open311/v2/requests.json?start_date=2026-01-01T00:00:00%2B99:00",
    "/open311/v2/requests.json?start_date=0001-01-01&end_date=0001-01-02",
    "/open311/v2/requests.json?start_date=9999-12-30&end_date=9999-12-31",
    "/api/v1/posts?kind=%C2%B2&page=%C2%B2",
    "/api/v1/posts/99999999999999999999999",
    "/open311/v2/services/question%00-1.json",
    "/open311/v2/requests.json?service_code=question%00-1",
    "/api/v1/track/a%00b",
]
# What waits on wall/views.py (and wall/urls.py), which this change could not touch.


@pytest.fixture
def visitor(settings):
    settings.DEBUG = False  # as in production: an exception is a 500 page, not a traceback
    return Client(raise_request_exception=False)


@pytest.fixture
def wall(django_capture_on_commit_callbacks):
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)
    with django_capture_on_commit_callbacks(execute=True):
        post = make_accepted_post(editor, unit, title="宿舍热水几点供应")
        post.reply(handler, "每天 6:30–23:30 供应热水。", is_public=True)
        post.publish(editor)
    post.refresh_from_db()
    return post


def assert_answered(response, where):
    assert response.status_code < 500, f"{where} answered {response.status_code}"


@pytest.mark.parametrize("address", LISTED)
def test_it_answers_the_listed_addresses_without_a_server_error(visitor, wall, address):
    assert_answered(visitor.get(address), address)


@pytest.mark.parametrize(
    ("path", "base", "name"),
    [pytest.param(path, base, name, id=f"{path}?{name}") for path, base, names in QUERIES for name in names],
)
def test_no_query_parameter_of_a_public_address_is_a_server_error(visitor, wall, path, base, name):
    @given(value=HOSTILE_VALUES)
    @FUZZ
    def run(value):
        assert_answered(visitor.get(path, {**base, name: value}), f"{path}?{name}={value!r}")

    run()


@pytest.mark.parametrize("path", PATHS)
def test_no_id_in_a_public_path_is_a_server_error(visitor, wall, path):
    @given(value=HOSTILE_VALUES)
    @FUZZ
    def run(value):
        address = path.format(quote(value, safe=""))
        assert_answered(visitor.get(address), address)

    run()


def test_a_junk_filter_on_the_wall_is_ignored(visitor, wall):
    for query in ({"kind": "²"}, {"category": "9" * 25}, {"unit": "٣", "page": "²"}):
        response = visitor.get("/wall/", query)
        assert response.status_code == 200, query
        assert [page.pk for page in response.context["page_obj"]] == [wall.page.pk], query


def test_a_junk_filter_on_the_search_page_is_ignored(visitor, wall):
    response = visitor.get("/search/", {"q": "热水", "kind": "²", "year": "9" * 25, "page": "²"})
    assert response.status_code == 200
    assert response.context["filters"] == {}
    assert [page.pk for _hit, page in response.context["results"]] == [wall.page.pk]


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999999", "9" * 5000])
def test_open311_answers_404_for_an_id_that_cannot_be_one(visitor, wall, value):
    response = visitor.get(f"/open311/v2/requests/{quote(value)}.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


@pytest.mark.parametrize("query", [{"start_date": "2026-02-30"}, {"end_date": "2026-04-31T08:00:00+08:00"}])
def test_open311_refuses_an_impossible_date_in_its_error_format(visitor, wall, query):
    response = visitor.get("/open311/v2/requests.json", query)
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert next(iter(query)) in response.json()[0]["description"]


@pytest.mark.parametrize("query", [{"start_date": "9999-12-31"}, {"end_date": "0001-01-01"}])
def test_open311_lists_what_lies_at_the_calendars_ends(visitor, wall, query):
    response = visitor.get("/open311/v2/requests.json", query)
    assert response.status_code == 200
    assert response.json() == []


def test_open311_refuses_a_bad_id_in_the_id_list(visitor, wall):
    for value in (f"{wall.pk},²", str(2**63)):
        response = visitor.get("/open311/v2/requests.json", {"service_request_id": value})
        assert response.status_code == 400, value


def test_a_service_code_with_a_non_ascii_number_is_not_found(visitor, wall):
    assert visitor.get("/open311/v2/services/question-%C2%B2.json").status_code == 404
    assert visitor.get("/open311/v2/requests.json", {"service_code": "question-²"}).json() == []


def test_the_api_refuses_a_search_text_longer_than_the_pages_read(visitor, wall):
    assert visitor.get("/api/v1/posts", {"q": "热" * params.MAX_QUERY_LENGTH}).status_code == 200
    assert visitor.get("/api/v1/posts", {"q": "热" * (params.MAX_QUERY_LENGTH + 1)}).status_code == 422


@pytest.mark.parametrize(
    "query",
    [
        "kind=month&day=9999-12-31",
        "kind=week&day=9999-12-31",
        "kind=year&day=9999-06-01",
        "kind=day&day=0001-01-01",
        "kind=custom&first=9999-12-30&last=9999-12-31",
        "kind=custom&first=0001-01-01&last=0001-01-02",
        "kind=month&day=2026-02-30",
    ],
)
def test_a_staff_period_at_the_calendars_ends_is_no_server_error(visitor, wall, query):
    visitor.force_login(make_user(is_superuser=True))
    for url in (
        reverse("stats_admin:ranking"),
        reverse("stats_admin:ranking_download", args=["csv"]),
        reverse("stats_admin:ledgers"),
        reverse("stats_admin:hot_topics"),
    ):
        assert_answered(visitor.get(f"{url}?{query}"), f"{url}?{query}")


def test_a_period_over_centuries_is_not_counted(wall):
    # It would take the server minutes; the form is invalid and the default period is shown.
    form = RankingForm({"kind": "custom", "first": "1000-01-01", "last": "3000-01-01"})
    assert not form.is_valid()
    assert form.period().kind == RankingForm.default_kind


@pytest.mark.parametrize("name", ["wall:follow", "wall:answer_reused"])
def test_a_huge_page_id_in_a_post_action_is_not_found(visitor, wall, name):
    visitor.force_login(make_user())
    response = visitor.post(reverse(name, args=[2**64]))
    assert response.status_code == 404


@pytest.mark.parametrize("back", ["0", "wall"])
def test_the_language_switch_takes_a_bare_word_as_no_address(visitor, wall, back):
    # redirect() reads a word without "/" or "." as a URL name, and fails to find it.
    response = visitor.get(reverse("wall:language", args=["en"]), {"next": back})
    assert response.status_code == 302


@pytest.mark.parametrize("address", ["/track/a%00b/", "/post/thanks/a%00b/", "/post/new/?kind=a%00b"])
def test_a_nul_character_in_a_wall_lookup_is_no_server_error(visitor, wall, address):
    assert_answered(visitor.get(address), address)


# -- the parsers -------------------------------------------------------------------------------


def test_an_id_is_ascii_digits_that_fit_a_64_bit_column():
    assert params.parse_id("42") == 42
    assert params.parse_id(str(params.MAX_ID)) == params.MAX_ID
    for value in [*UNICODE_DIGITS, str(params.MAX_ID + 1), "9" * 5000, "0", "-1", " 1", "1\n", "", None]:
        assert params.parse_id(value) is None, value


def test_a_page_is_1_unless_it_is_a_page_number():
    assert params.parse_page("3") == 3
    assert params.parse_page("3", last=2) == 1
    for value in ["²", "0", "-2", "x", None, str(params.MAX_PAGE + 1)]:
        assert params.parse_page(value) == 1, value


def test_a_date_is_none_unless_it_exists():
    assert params.parse_date("2024-02-29") == date(2024, 2, 29)
    for value in ["2026-02-30", "2026-13-01", "0000-01-01", "２０２６-０１-０１", "2026-1-1", "2026-01-01\n", None]:
        assert params.parse_date(value) is None, value


def test_a_moment_stays_inside_the_calendar():
    assert params.parse_moment("0001-01-01T00:00:00+08:00") == params.EARLIEST
    assert params.parse_moment("9999-12-31", end_of_day=True) == params.LATEST
    assert params.parse_moment("2026-01-31T08:00:00+08:00") == datetime.fromisoformat("2026-01-31T00:00:00+00:00")
    for value in ["2026-02-30", "2026-02-30T08:00:00", "2026-01-01T00:00:00+99:00", "yesterday", "２０２６-０１-０１"]:
        assert params.parse_moment(value) is None, value


def test_a_range_stops_at_the_calendars_ends():
    span = timedelta(days=90)
    assert params.moment_range(params.LATEST, None, span) == (params.LATEST, params.LATEST)
    assert params.moment_range(None, params.EARLIEST, span) == (params.EARLIEST, params.EARLIEST)
    start = params.parse_moment("2026-01-01")
    assert params.moment_range(start, None, span) == (start, start + span)
