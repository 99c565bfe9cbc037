from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from cases import roles
from cases.models import CannedReply, Category, Kind, Post, ReturnVisit, Unit


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    is_public = forms.BooleanField(
        label=_("Public reply"),
        required=False,
        initial=True,
        help_text=_("Private replies are shown to the poster only."),
    )


class IntakeForm(forms.ModelForm):
    """A post an editor types in for someone who called, came by or wrote (线下电话/来访/信函)."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(channel.value, channel.label) for channel in Post.OFFLINE_CHANNELS]
    )
    created_at = forms.DateTimeField(
        label=_("Received at"),
        initial=timezone.now,
        widget=AdminDateTimeInput,
        help_text=_("When the call came, the visitor came by or the letter arrived."),
    )

    class Meta:
        model = Post
        fields = [
            "channel",
            "created_at",
            "kind",
            "category",
            "requested_unit",
            "title",
            "body",
            "is_anonymous",
            "contact_name",
            "contact_phone",
            "wants_public",
        ]
        labels = {"contact_name": _("Caller's name"), "contact_phone": _("Caller's phone")}
        help_texts = {"is_anonymous": _("As the caller wishes: an anonymous post shows no name to the units.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_unit"].queryset = Unit.objects.filter(is_active=True)
        self.fields["wants_public"].initial = False

    def clean_created_at(self):
        received_at = self.cleaned_data["created_at"]
        if received_at > timezone.now():
            raise forms.ValidationError(_("The time it was received cannot be in the future."))
        return received_at


class HandlerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        full_name = user.get_full_name().strip()
        return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


class UnitForm(WagtailAdminModelForm):
    class Meta:
        model = Unit
        fields = ["name", "name_en", "type", "description", "handlers", "vice_president", "is_active"]
        field_classes = {"handlers": HandlerChoiceField}
        widgets = {"handlers": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Posters have accounts too: offer only people who can enter the admin, so the list stays
        # short and nobody is made a handler by a slip. Current handlers stay listed so that saving
        # the form never drops one silently.
        access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        may_enter_admin = Q(is_superuser=True) | Q(groups__permissions=access_admin) | Q(user_permissions=access_admin)
        current = Q(handled_units=self.instance) if self.instance.pk else Q(pk__in=[])
        users = get_user_model().objects.filter((Q(is_active=True) & may_enter_admin) | current)
        self.fields["handlers"].queryset = users.distinct().order_by("username")
        # The vice-president reads and instructs as a leader (校领导) does.
        current_leader = Q(overseen_units=self.instance) if self.instance.pk else Q(pk__in=[])
        leaders = get_user_model().objects.filter((Q(is_active=True) & Q(groups__name=roles.LEADERS)) | current_leader)
        self.fields["vice_president"].queryset = leaders.distinct().order_by("username")


def _text_field(label, help_text="", required=True, max_length=2000, rows=3):
    """A few lines of text for an action: a reason, an instruction, a note."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _reason_field(help_text):
    return _text_field(_("Reason"), help_text)


class AcceptForm(forms.Form):
    prefix = "accept"
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.filter(is_active=True))
    urgent = forms.BooleanField(
        label=_("Urgent (应急)"),
        required=False,
        help_text=_("Short deadlines; the unit's handlers and supervisors hear at once."),
    )


class RejectForm(forms.Form):
    prefix = "reject"
    reason = _reason_field(_("The poster reads this reason."))


class MergeForm(forms.Form):
    prefix = "merge"
    into = forms.ModelChoiceField(
        label=_("Number of the post it repeats"),
        queryset=Post.objects.none(),
        widget=forms.NumberInput,
        error_messages={"invalid_choice": _("There is no post with this number that a duplicate can join.")},
        help_text=_("Its poster is told and sent to that post's answers; this post leaves every queue."),
    )

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        closed_to_merges = [Post.Status.MERGED, Post.Status.REJECTED]
        self.fields["into"].queryset = Post.objects.exclude(pk=post.pk).exclude(status__in=closed_to_merges)


class CannedReplySelect(forms.Select):
    """Each option carries its text, which static/js/canned_replies.js puts in the reply box."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-body"] = value.instance.body
        return option


class StaffReplyForm(ReplyForm):
    prefix = "reply"
    field_order = ["canned", "body"]
    cannot_solve = forms.BooleanField(
        label=_("Cannot be solved now"),
        required=False,
        help_text=_("Say why in the reply; it still counts as a reply."),
    )
    solve_by = forms.DateField(
        label=_("Planned solution date"),
        required=False,
        widget=AdminDateInput,
        help_text=_("Needed with “cannot be solved now”: the unit is reminded on that day."),
    )

    def __init__(self, *args, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        canned = CannedReply.for_post(post) if post else CannedReply.objects.none()
        if canned.exists():
            self.fields["canned"] = forms.ModelChoiceField(
                label=_("Start from a canned reply"),
                queryset=canned,
                required=False,
                widget=CannedReplySelect(attrs={"data-canned-replies": ""}),
                help_text=_("Its text goes into the reply below, to edit before sending."),
            )
            self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        if data.get("cannot_solve") and not data.get("solve_by"):
            self.add_error("solve_by", _("Give the date by which the unit plans to solve it."))
        return data


def _other_active_units(post):
    return Unit.objects.filter(is_active=True).exclude(pk=post.unit_id)


class TransferForm(forms.Form):
    prefix = "transfer"
    unit = forms.ModelChoiceField(label=_("Transfer to"), queryset=Unit.objects.none())
    reason = _reason_field(_("The receiving unit reads this reason."))

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _other_active_units(post)


class CoHandleForm(forms.Form):
    prefix = "co_handle"
    units = forms.ModelMultipleChoiceField(
        label=_("Co-handling units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They may reply and add notes; only the lead unit closes the post."),
    )

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _other_active_units(post).exclude(co_handled_posts=post)


class ReassignForm(forms.Form):
    prefix = "reassign"
    unit = forms.ModelChoiceField(label=_("Re-assign to"), queryset=Unit.objects.none())
    reason = _reason_field(_("The receiving unit reads this reason."))

    def __init__(self, *args, post, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A supervisor re-assigns only among the units they watch; the model checks it again.
        units = _other_active_units(post)
        if not roles.is_global_supervisor(user):
            units = units.filter(supervisors=user)
        self.fields["unit"].queryset = units


class RoutingForm(forms.Form):
    prefix = "routing"
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=Kind.objects.all())
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Unit.objects.filter(is_active=True),
        help_text=_("A correction, not a transfer: no transfer is counted against the unit."),
    )


class NoteForm(forms.Form):
    prefix = "note"
    body = _text_field(_("Internal note"), max_length=5000)


class KeySupervisionForm(forms.Form):
    prefix = "key"
    due = forms.DateField(label=_("Settle by"), required=False, widget=AdminDateInput)
    instructions = _text_field(
        _("Instructions to the unit"),
        _("The unit's handlers are sent these with the date."),
        required=False,
        max_length=1000,
        rows=2,
    )


class InstructForm(forms.Form):
    prefix = "instruct"
    body = _text_field(
        _("Instruction (批示)"), _("Sent to the unit, which must answer it here; you are told of its answer.")
    )


class AnswerInstructionForm(forms.Form):
    prefix = "answer"
    body = _text_field(
        _("Your unit's answer to the instruction"), _("What the unit has done or will do; the leader is told.")
    )


class UrgeForm(forms.Form):
    prefix = "urge"
    message = _text_field(
        _("Message to the unit"),
        _("Sent to the unit's handlers with a link to the post, and kept in the trail."),
        required=False,
        max_length=500,
        rows=2,
    )


class ReturnVisitForm(forms.Form):
    prefix = "visit"
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReturnVisit.Outcome.choices, widget=forms.RadioSelect)
    note = _text_field(
        _("Note"),
        _("If the problem is not solved, the post is reopened with this note as the reason."),
        required=False,
    )


class PublicTextForm(forms.Form):
    prefix = "public"
    public_title = forms.CharField(
        label=_("Public title"), max_length=100, required=False, help_text=_("Leave blank to use the original.")
    )
    public_body = forms.CharField(
        label=_("Public text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Leave blank to use the original. Remove names, phone numbers and anything private."),
    )
    show_photos = forms.BooleanField(label=_("Show photos on the wall"), required=False)


class RectificationForm(WagtailAdminModelForm):
    """The item's posts by number (a list of thousands of posts would be no choice at all)."""

    post_numbers = forms.CharField(
        label=_("Numbers of the posts about this problem"),
        required=False,
        help_text=_("e.g. 12, 15, 31. Their posters see the item's progress on their tracking pages."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["post_numbers"] = ", ".join(str(pk) for pk in self.instance.posts.values_list("pk", flat=True))

    def clean_post_numbers(self):
        text = self.cleaned_data["post_numbers"].replace("，", ",").replace("#", "")
        numbers = {part.strip() for part in text.replace(" ", ",").split(",") if part.strip()}
        if any(not number.isdigit() for number in numbers):
            raise forms.ValidationError(_("Give post numbers only, separated by commas."))
        posts = list(Post.objects.filter(pk__in=[int(number) for number in numbers]))
        missing = sorted(numbers - {str(post.pk) for post in posts}, key=int)
        if missing:
            raise forms.ValidationError(_("There is no post numbered %(numbers)s.") % {"numbers": ", ".join(missing)})
        return posts

    def save(self, commit=True):
        if self.instance.created_by_id is None and self.for_user:
            self.instance.created_by = self.for_user
        return super().save(commit)

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.posts.set(self.cleaned_data["post_numbers"])
