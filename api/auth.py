"""Who calls /api/v1/: an API key (a client's, or a staff member's personal one) or a logged-in session."""

from django.contrib.auth.models import AnonymousUser
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from api.models import ApiKey


class KeyBearer(HttpBearer):
    """Authorization: Bearer <api key>."""

    def authenticate(self, request, token):
        return ApiKey.find(token)


class KeyHeader(APIKeyHeader):
    """X-Api-Key: <api key>, for clients that cannot set Authorization."""

    param_name = "X-Api-Key"

    def authenticate(self, request, key):
        return ApiKey.find(key)


KEY_OR_SESSION = [KeyBearer(), KeyHeader(), django_auth]


def calling_client(request):
    """The API client behind the request's key, or None for a session."""
    return request.auth.client if isinstance(request.auth, ApiKey) else None


def acting_user(request):
    """The user the request acts as: the session's, a personal key's; anonymous for a system's key."""
    if isinstance(request.auth, ApiKey):
        return request.auth.user or AnonymousUser()
    return request.auth
