from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

from accounts import ratelimit


class ThrottledLoginMixin:
    """Refuses to try a password once the account or the caller's address has failed too often
    (accounts.ratelimit): a password guesser gets a few tries per window, not thousands."""

    throttled_message = _(
        "Too many failed log-ins for this account or from your network. Please wait %(minutes)d minutes and try again."
    )

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if ratelimit.login_blocked(self.request, username):
            minutes = -(-settings.ECHOWALL_LOGIN_WINDOW // 60)
            raise ValidationError(self.throttled_message, code="throttled", params={"minutes": minutes})
        try:
            return super().clean()
        except ValidationError:
            ratelimit.count_login_failure(self.request, username)
            raise


class ThrottledAdminLoginForm(ThrottledLoginMixin, LoginForm):
    """Wagtail's admin log-in (WAGTAILADMIN_USER_LOGIN_FORM)."""


class ThrottledLoginForm(ThrottledLoginMixin, AuthenticationForm):
    """The posters' log-in at /accounts/login/."""
