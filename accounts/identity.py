"""Real names (DESIGN.md §2): once a campus login is on, only it vouches for the name on a post.

In the embedded default (no CAS, no OpenID Connect) a logged-in local account posts under its name
as before. With single sign-on on, a local account may still post, but anonymously, unless it is a
staff account: those are made by an administrator, who knows whose they are.
"""

from django.conf import settings
from django.utils import timezone

from accounts import wecom
from accounts.models import CampusIdentity


def cas_enabled():
    return bool(settings.CAS_SERVER_URL)


def oidc_enabled():
    return bool(settings.OIDC_RP_CLIENT_ID)


def sso_enabled():
    return cas_enabled() or oidc_enabled() or wecom.enabled()


def record(user, source, campus_id, name):
    """Note that the campus vouched for user just now, under this ID and name."""
    CampusIdentity.objects.update_or_create(
        user=user, defaults={"source": source, "campus_id": campus_id, "name": name, "verified_at": timezone.now()}
    )


def campus_identity(user):
    try:
        return user.campus_identity
    except CampusIdentity.DoesNotExist:
        return None


def may_post_real_name(user):
    if not user.is_authenticated:
        return False
    if not sso_enabled():
        return True
    return campus_identity(user) is not None or user.has_perm("wagtailadmin.access_admin")


def shown_name(user):
    """The name a real-name post is shown under: the campus's, if it gave one, else the account's."""
    identity = campus_identity(user)
    if identity and identity.name:
        return identity.name
    return user.get_full_name().strip() or user.get_username()


def wecom_user_id(user):
    """The WeCom (企业微信) user ID a poster is reached at: their campus ID, if they signed on through
    the campus and the school's WeCom application is set (ECHOWALL_WECOM_*); else None."""
    if not (wecom.enabled() and user is not None):
        return None
    identity = campus_identity(user) if user.is_authenticated else None
    return identity.campus_id if identity else None
