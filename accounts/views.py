from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme
from django_cas_ng import views as cas_views
from mozilla_django_oidc import views as oidc_views

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
        allowed = {request.get_host()}
        if url_has_allowed_host_and_scheme(next_url, allowed, require_https=request.is_secure()):
            request.session["CASNEXT"] = next_url
    return _cas_login(request)


cas_login = _only_if(cas_enabled, _cas_login_remembering_next)
cas_logout = _only_if(cas_enabled, cas_views.LogoutView.as_view())
oidc_login = _only_if(oidc_enabled, oidc_views.OIDCAuthenticationRequestView.as_view())
oidc_callback = _only_if(oidc_enabled, oidc_views.OIDCAuthenticationCallbackView.as_view())
