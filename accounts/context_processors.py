from accounts import wecom
from accounts.identity import cas_enabled, oidc_enabled


def sso(request):
    """Which campus log-ins the login page offers."""
    return {"sso_cas": cas_enabled(), "sso_oidc": oidc_enabled(), "sso_wecom": wecom.enabled()}
