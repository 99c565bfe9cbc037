from django.http import Http404
from django_cas_ng import views as cas_views
from mozilla_django_oidc import views as oidc_views

from accounts.backends import cas_enabled, oidc_enabled


def _only_if(enabled, view):
    def wrapped(request, *args, **kwargs):
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


cas_login = _only_if(cas_enabled, cas_views.LoginView.as_view())
cas_logout = _only_if(cas_enabled, cas_views.LogoutView.as_view())
oidc_login = _only_if(oidc_enabled, oidc_views.OIDCAuthenticationRequestView.as_view())
oidc_callback = _only_if(oidc_enabled, oidc_views.OIDCAuthenticationCallbackView.as_view())
