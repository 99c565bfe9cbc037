"""Schema-driven fuzzing of /api/v1/ with schemathesis: whatever a client sends, no 5xx.

Bounded (a few dozen examples per operation) so it fits in the suite; every operation is fuzzed
without credentials and with a handler's personal key, against a small wall. schemathesis's pytest
plugin does not run under this pytest, so its cases are drawn through hypothesis directly.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from api.models import ApiClient
from config.wsgi import application
from tests.factories import make_editor, make_handler, make_replied_post, make_unit

MAX_EXAMPLES = 25
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # nothing written outside the test run
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    # As Django's test client does: called directly, the WSGI app would close the test's database
    # connection (and with it the test's transaction) after every request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def staff_key(django_capture_on_commit_callbacks, settings):
    cache.clear()
    settings.ECHOWALL_API_WRITES_PER_CLIENT = 100_000
    settings.ECHOWALL_API_WRITES_PER_IP = 100_000
    unit = make_unit("后勤管理处")
    editor, handler = make_editor(), make_handler(unit)
    with django_capture_on_commit_callbacks(execute=True):
        make_replied_post(editor, handler, unit).publish(editor)
    return ApiClient.objects.create(name="fuzz").issue_key(user=handler)[1]


def _operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation, headers):
    @given(case=operation.as_strategy())
    @FUZZ
    def run(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()


def test_the_schema_has_every_operation(db):
    labels = {operation.label for operation in _operations()}
    assert "POST /api/v1/posts" in labels and "POST /api/v1/staff/posts/{post_id}/reply" in labels
    assert len(labels) >= 10


def test_it_never_answers_a_server_error(staff_key):
    for operation in _operations():
        _fuzz(operation, headers={})
        _fuzz(operation, headers={"Authorization": f"Bearer {staff_key}"})
