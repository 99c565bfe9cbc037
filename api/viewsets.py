"""Admin screens for API clients and their keys. A key's secret is shown once, when it is issued."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from api.models import ApiClient, ApiKey, new_secret


class ApiClientViewSet(ModelViewSet):
    model = ApiClient
    name = "api_clients"
    url_prefix = "api/clients"
    icon = "site"
    menu_label = _("API clients")
    form_fields = ["name", "contact", "is_active"]
    list_display = ["name", "contact", "is_active", "created_at"]
    list_filter = ["is_active"]
    copy_view_enabled = False


class ApiKeyCreateForm(WagtailAdminModelForm):
    class Meta:
        model = ApiKey
        fields = ["client", "label", "user"]

    def save(self, commit=True):
        self.plaintext, self.instance.prefix, self.instance.key_hash = new_secret()
        return super().save(commit)


class ApiKeyEditForm(WagtailAdminModelForm):
    revoke = forms.BooleanField(
        label=_("Revoked"), required=False, help_text=_("A revoked key is refused at once, for good.")
    )

    class Meta:
        model = ApiKey
        fields = ["label"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoke"].initial = self.instance.is_revoked
        self.fields["revoke"].disabled = self.instance.is_revoked

    def save(self, commit=True):
        if self.cleaned_data["revoke"] and not self.instance.is_revoked:
            self.instance.revoked_at = timezone.now()
        return super().save(commit)


class ApiKeyCreateView(CreateView):
    def save_action(self):
        # The secret exists only in this response: not in a message (that would sit in the session).
        context = {"key": self.object, "plaintext": self.form.plaintext, "header_title": _("API key issued")}
        return render(self.request, "api/admin/key_issued.html", context)


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    name = "api_keys"
    url_prefix = "api/keys"
    icon = "key"
    menu_label = _("API keys")
    add_view_class = ApiKeyCreateView
    list_display = ["client", "label", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["client"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return ApiKeyEditForm if for_update else ApiKeyCreateForm


class ApiGroup(ViewSetGroup):
    menu_label = _("API")
    menu_icon = "site"
    menu_order = 810
    items = (ApiClientViewSet, ApiKeyViewSet)
