"""The school's WeCom (企业微信) application: its API, shared by the log-in (OAuth) and the messages.

On once ECHOWALL_WECOM_CORP_ID and ECHOWALL_WECOM_SECRET are set. A WeCom user ID is taken as the
campus ID, as schools set them up, so a WeCom log-in and a CAS log-in meet on the same local user.
"""

import requests
from django.conf import settings
from django.core.cache import cache

TIMEOUT = 5
TOKEN_KEY = "accounts:wecom-token"  # noqa: S105 - a cache key, not a secret
TOKEN_ERRORS = {40014, 42001}  # invalid, expired access token


class WeComRefused(Exception):
    """WeCom answered, but with an error code."""


def enabled():
    return bool(settings.ECHOWALL_WECOM_CORP_ID and settings.ECHOWALL_WECOM_SECRET)


def get(path, **params):
    return _checked(requests.get(_url(path), params={"access_token": token(), **params}, timeout=TIMEOUT))


def post(path, message):
    response = requests.post(
        _url(path), params={"access_token": token()}, json=message, timeout=TIMEOUT, allow_redirects=False
    )
    return _checked(response)


def token():
    """The application's access token, fetched once per its lifetime (two hours) and shared by workers."""
    cached = cache.get(TOKEN_KEY)
    if cached:
        return cached
    answer = _checked(
        requests.get(
            _url("/cgi-bin/gettoken"),
            params={"corpid": settings.ECHOWALL_WECOM_CORP_ID, "corpsecret": settings.ECHOWALL_WECOM_SECRET},
            timeout=TIMEOUT,
        )
    )
    cache.set(TOKEN_KEY, answer["access_token"], max(answer.get("expires_in", 7200) - 300, 60))
    return answer["access_token"]


def _url(path):
    return f"{settings.ECHOWALL_WECOM_API_URL}{path}"


def _checked(response):
    response.raise_for_status()
    answer = response.json()
    errcode = answer.get("errcode", 0)
    if errcode in TOKEN_ERRORS:
        cache.delete(TOKEN_KEY)  # the next call fetches a fresh token
    if errcode != 0:
        raise WeComRefused(f"WeCom errcode {errcode}: {answer.get('errmsg', '')}")
    return answer
