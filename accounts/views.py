import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_cas_ng import views as cas_views
from mozilla_django_oidc import views as oidc_views

from accounts import wecom
from accounts.identity import cas_enabled, oidc_enabled


def _only_if(enabled, view):
    def wrapped(request, *args, **kwargs):
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


CAS_BACKEND = "accounts.backends.CampusCASBackend"
_cas_login = cas_views.LoginView.as_view()


def _cas_login_remembering_next(request):
    if request.user.is_authenticated and request.session.get(BACKEND_SESSION_KEY) != CAS_BACKEND:
        # Logged in locally and asking for the campus login (to post under a real name): a change of
        # user. django-cas-ng would just send a logged-in user on, so end the local session first.
        auth.logout(request)
    # django-cas-ng follows ?next= without checking it (an open redirect) yet ignores it once
    # CAS_LOGIN_NEXT_PAGE is a setting; what it keeps in the session (CAS_STORE_NEXT) it uses across
    # the round trip to the CAS server. So: check it here, keep it there, and hide it from the library.
    next_url = request.GET.get("next", "")
    if next_url:
        request.GET = request.GET.copy()
        del request.GET["next"]
        if _is_safe(request, next_url):
            request.session["CASNEXT"] = next_url
    return _cas_login(request)


def _is_safe(request, next_url):
    return url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())


cas_login = _only_if(cas_enabled, _cas_login_remembering_next)
cas_logout = _only_if(cas_enabled, cas_views.LogoutView.as_view())
oidc_login = _only_if(oidc_enabled, oidc_views.OIDCAuthenticationRequestView.as_view())
oidc_callback = _only_if(oidc_enabled, oidc_views.OIDCAuthenticationCallbackView.as_view())


# Inside the WeCom app the log-in is silent; in any other browser WeCom shows a QR code to scan.
WECOM_IN_APP_LOGIN = "https://open.weixin.qq.com/connect/oauth2/authorize"
WECOM_QR_LOGIN = "https://login.work.weixin.qq.com/wwlogin/sso/login"


def _wecom_login(request):
    state = secrets.token_urlsafe(16)
    next_url = request.GET.get("next", "")
    request.session["wecom_login"] = {"state": state, "next": next_url if _is_safe(request, next_url) else ""}
    query = {
        "appid": settings.ECHOWALL_WECOM_CORP_ID,
        "agentid": settings.ECHOWALL_WECOM_AGENT_ID,
        "redirect_uri": request.build_absolute_uri(reverse("wecom_callback")),
        "state": state,
    }
    if "wxwork" in request.headers.get("User-Agent", "").lower():
        query |= {"response_type": "code", "scope": "snsapi_base"}
        return redirect(f"{WECOM_IN_APP_LOGIN}?{urlencode(query)}#wechat_redirect")
    return redirect(f"{WECOM_QR_LOGIN}?{urlencode(query | {'login_type': 'CorpApp'})}")


def _wecom_callback(request):
    started = request.session.pop("wecom_login", None)
    given = request.GET.get("state", "")
    user = None
    if started and given and secrets.compare_digest(given, started["state"]):
        user = auth.authenticate(request, wecom_code=request.GET.get("code", ""))
    if user is None:
        # A stale or forged return, a refused code, WeCom down, or someone from outside the school.
        messages.error(request, _("The WeCom log-in did not go through. Please try again, or log in another way."))
        return redirect("login")
    auth.login(request, user)
    return redirect(started["next"] or resolve_url(settings.LOGIN_REDIRECT_URL))


wecom_login = _only_if(wecom.enabled, _wecom_login)
wecom_callback = _only_if(wecom.enabled, _wecom_callback)
