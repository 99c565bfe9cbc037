"""A database that is briefly busy (SQLite locked by another writer, a PostgreSQL lock or
serialization conflict) is worth a retry, not a 500 page: the user is told so and may send again."""

import logging

from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available (a lock_timeout ran out).
RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


def is_busy(error):
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    # SQLite says "database is locked" once its busy timeout has run out ("database table is locked").
    return "is locked" in str(error)


def mark_retryable(response):
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class BusyDatabaseMiddleware:
    """Answers 503 with "try again" for a busy database in any view; the submit form handles it
    itself, to keep what was typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy(exception):
            return None
        logger.warning("Database busy at %s: %s", request.path, exception)
        message = _("The system is busy. Please try again in a moment.")
        if request.path.startswith(("/api/", "/open311/")):
            response = JsonResponse({"detail": message}, status=503, json_dumps_params={"ensure_ascii": False})
        else:
            response = render(request, "busy.html", {"message": message}, status=503)
        return mark_retryable(response)
