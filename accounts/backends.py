"""Campus single sign-on: CAS (统一身份认证), OpenID Connect and WeCom (企业微信) OAuth, each on only
when its settings are set.

A campus identity becomes the local user "<ECHOWALL_SSO_USERNAME_PREFIX><campus ID>", with the name
the campus gives as first_name. The prefix keeps a campus ID from ever landing on a local account
(a CAS user called "admin" is "campus.admin", not the superuser); to give a campus identity a role,
create that user name in the admin beforehand, or add the role after their first login.
Each login also writes the user's CampusIdentity, which is what lets them post under their real name.
"""

import logging

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django_cas_ng.backends import CASBackend
from django_cas_ng.signals import cas_user_authenticated
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts import identity, wecom
from accounts.identity import cas_enabled, oidc_enabled
from accounts.models import CampusIdentity

NAME_LENGTH = 150
logger = logging.getLogger(__name__)


def campus_username(campus_id):
    return f"{settings.ECHOWALL_SSO_USERNAME_PREFIX}{campus_id.strip()}"


def apply_name(user, name):
    name = (name or "").strip()[:NAME_LENGTH]
    if name and user.first_name != name:
        user.first_name = name
        user.save(update_fields=["first_name"])
    return name


class CampusCASBackend(CASBackend):
    def authenticate(self, request, ticket, service):
        if not cas_enabled():
            return None
        return super().authenticate(request, ticket, service)

    def clean_username(self, username):
        return campus_username(username)


def _campus_id(user):
    return user.get_username().removeprefix(settings.ECHOWALL_SSO_USERNAME_PREFIX)


def _name_from_cas(sender, user, attributes, **kwargs):
    if user is None:
        return
    name = (attributes or {}).get(settings.ECHOWALL_CAS_NAME_ATTRIBUTE)
    name = apply_name(user, name[0] if isinstance(name, list) else name)
    identity.record(user, CampusIdentity.Source.CAS, _campus_id(user), name)


cas_user_authenticated.connect(_name_from_cas, dispatch_uid="accounts.cas_name")


class CampusOIDCBackend(OIDCAuthenticationBackend):
    """Users are matched by the campus ID claim (ECHOWALL_OIDC_ID_CLAIM), never by e-mail."""

    def __init__(self, *args, **kwargs):
        # The library reads its settings here and refuses to start without them; Django builds
        # every backend for every login, so a site without OIDC must not get that far.
        self.UserModel = get_user_model()
        if oidc_enabled():
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not oidc_enabled():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation) as error:
            # A refused or reused code (the back button), the provider down, a bad signature or a
            # token for another client: no login (the failure page), not an error page.
            logger.warning("OpenID Connect login failed: %s", error)
            return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library leaves the audience unchecked; a token issued to another client is no login here.
        audience = payload.get("aud")
        if self.OIDC_RP_CLIENT_ID not in (audience if isinstance(audience, list) else [audience]):
            raise SuspiciousOperation("The ID token was issued to another client.")
        return payload

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)

    def _campus_id(self, claims):
        value = claims.get(settings.ECHOWALL_OIDC_ID_CLAIM)
        return str(value).strip() if value not in (None, "") else ""

    def verify_claims(self, claims):
        return bool(self._campus_id(claims))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=campus_username(self._campus_id(claims)))

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            campus_username(self._campus_id(claims)), email=claims.get("email", "") or ""
        )
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        name = apply_name(user, claims.get(settings.ECHOWALL_OIDC_NAME_CLAIM))
        identity.record(user, CampusIdentity.Source.OIDC, self._campus_id(claims), name)
        return user


class CampusWeComBackend(ModelBackend):
    """WeCom OAuth: the code WeCom hands back names a member of the school's WeCom, whose user ID is
    their campus ID. A visitor from outside the school (an external contact) has none: no login."""

    def authenticate(self, request, wecom_code=None, **kwargs):
        if not (wecom_code and wecom.enabled()):
            return None
        try:
            campus_id = str(wecom.get("/cgi-bin/auth/getuserinfo", code=wecom_code).get("userid", "")).strip()
        except (requests.RequestException, ValueError, wecom.WeComRefused) as error:
            logger.warning("WeCom login failed: %s", error)
            return None
        if not campus_id:
            return None
        users = get_user_model().objects
        username = campus_username(campus_id)
        user = users.filter(username=username).first() or users.create_user(username)
        if not self.user_can_authenticate(user):
            return None
        name = apply_name(user, _wecom_name(campus_id)) or user.first_name
        identity.record(user, CampusIdentity.Source.WECOM, campus_id, name)
        return user


def _wecom_name(campus_id):
    # Only applications WeCom lets read the address book learn the name; without it the name stays
    # the one a CAS login gave, or none (then the post shows the campus ID).
    try:
        return wecom.get("/cgi-bin/user/get", userid=campus_id).get("name", "")
    except (requests.RequestException, ValueError, wecom.WeComRefused):
        return ""
