from captcha.fields import CaptchaField
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MinLengthValidator
from django.utils.translation import gettext_lazy as _

from accounts.identity import may_post_real_name, wecom_user_id
from cases.models import Category, Kind, Place, Post, Unit
from cases.photos import clean_photo
from wall.captcha import ReadableCaptchaInput


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each is decoded and re-encoded by cases.photos."""

    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def clean(self, data, initial=None):
        uploads = [f for f in (data or []) if f]
        if len(uploads) > settings.ECHOWALL_MAX_PHOTOS:
            raise ValidationError(
                _("At most %(max)d photos, please; you chose %(count)d.")
                % {"max": settings.ECHOWALL_MAX_PHOTOS, "count": len(uploads)}
            )
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(clean_photo(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class PostForm(forms.ModelForm):
    photos = PhotosField(label=_("Photos"), required=False, help_text=_("Up to 6 photos, 10 MB each."))

    class Meta:
        model = Post
        # What it is about first: on a phone the similar box opens under the title, and the text
        # field must still show below it (the choices that sort the post come after).
        fields = [
            "title",
            "body",
            "kind",
            "category",
            "requested_unit",
            "place",
            "wants_public",
            "is_anonymous",
            "contact_name",
            "contact_phone",
            "contact_email",
            "notify_by",
        ]
        labels = {
            "notify_by": _("Tell me of replies by"),
            "requested_unit": _("Unit (optional)"),
            "place": _("Where (optional)"),
            "wants_public": _("Show on the public wall"),
            "is_anonymous": _("Post anonymously"),
        }
        help_texts = {
            "wants_public": _("Others can then find the answer too. Your name is never shown."),
            "contact_name": _("Seen only by the editors."),
            "contact_phone": _("Optional: for the office or the unit to call you if they need to know more."),
            "contact_email": _(
                "Optional: the replies and the rating link are sent here. Without it, follow your post with its "
                "tracking code."
            ),
        }
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": _("In one sentence: what is it about?")}),
            "body": forms.Textarea(attrs={"rows": 6}),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "notify_by": forms.RadioSelect,
        }

    def __init__(self, *args, user=None, kept=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.kept = list(kept)  # PendingPhotos from an earlier try (wall.pending_photos)
        self.photos_dropped = False  # valid photos that could not be kept after all (wall.pending_photos)
        self._offer_channels()
        self.fields["kind"].queryset = Kind.objects.all()
        self.fields["kind"].empty_label = None
        self.fields["category"].queryset = Category.objects.all()
        self.fields["requested_unit"].queryset = Unit.objects.filter(is_active=True)
        places = Place.objects.filter(is_active=True)
        if places.exists():
            self.fields["place"].queryset = places
            self.fields["place"].empty_label = _("No particular place")
        else:  # no list kept: nothing to choose from
            del self.fields["place"]
        self.fields["title"].validators.append(MinLengthValidator(4))
        self.fields["body"].validators.append(MinLengthValidator(10))
        shared = "、".join(Kind.objects.filter(contact_for_handlers=True).values_list("name", flat=True))
        if shared:
            self.fields["contact_name"].help_text = _(
                "Seen only by the editors and, for %(kinds)s, by the unit that handles it, to call you back."
            ) % {"kinds": shared}
        if not user.is_authenticated:
            self.fields["captcha"] = CaptchaField(
                widget=ReadableCaptchaInput(),
                label=_("Captcha"),
                help_text=_(
                    "Type the characters in the picture; upper or lower case does not matter. Hard to read? "
                    "Ask for another picture, or listen to the characters."
                ),
                error_messages={
                    "invalid": _("The captcha was not right. Please type the characters of the new picture.")
                },
            )
            self.fields["is_anonymous"].initial = True
            self.fields["is_anonymous"].disabled = True
            self.fields["is_anonymous"].help_text = _("Not logged in: your post is anonymous.")
        # Logged in locally while campus single sign-on is on: the name is nobody's word, so anonymous
        # unless the poster logs in through the campus (the submit page links to it).
        self.needs_campus_login = user.is_authenticated and not may_post_real_name(user)
        if self.needs_campus_login:
            self.fields["is_anonymous"].initial = True

    def _offer_channels(self):
        """E-mail always; SMS with a gateway; WeCom to those who signed on through the campus, when the
        school's WeCom application is set. With e-mail alone, no choice is shown."""
        offered = {Post.NotifyBy.EMAIL}
        if settings.ECHOWALL_SMS_GATEWAY_URL:
            offered.add(Post.NotifyBy.SMS)
        if wecom_user_id(self.user):
            offered.add(Post.NotifyBy.WECOM)
        if len(offered) == 1:
            del self.fields["notify_by"]
        else:
            field = self.fields["notify_by"]
            field.choices = [(value, label) for value, label in Post.NotifyBy.choices if value in offered]

    def clean(self):
        data = super().clean()
        if data.get("notify_by") == Post.NotifyBy.SMS and not data.get("contact_phone"):
            self.add_error("contact_phone", _("Give a mobile number to be told by SMS."))
        count = len(self.kept) + len(data.get("photos") or [])
        if count > settings.ECHOWALL_MAX_PHOTOS:
            self.add_error(
                "photos",
                _("At most %(max)d photos, please; you chose %(count)d.")
                % {"max": settings.ECHOWALL_MAX_PHOTOS, "count": count},
            )
        return data

    def clean_is_anonymous(self):
        anonymous = self.cleaned_data["is_anonymous"]
        if not anonymous and self.needs_campus_login:
            raise ValidationError(
                _("Real-name posts need a campus login (统一身份认证). Post anonymously, or log in through it.")
            )
        return anonymous

    def save(self, commit=True):
        post = super().save(commit=False)
        post.poster = self.user if self.user.is_authenticated else None
        if not self.user.is_authenticated:
            post.is_anonymous = True
        if commit:
            post.save()
            for kept in self.kept:
                post.photos.create(image=ContentFile(kept.image.read(), name="photo.jpg"))
            for photo in self.cleaned_data["photos"]:
                post.photos.create(image=photo)  # already cleaned by PhotosField
        return post


SCORES = [
    (5, _("5 · very satisfied")),
    (4, _("4 · satisfied")),
    (3, _("3 · so-so")),
    (2, _("2 · dissatisfied")),
    (1, _("1 · very dissatisfied")),
]


class RatingForm(forms.Form):
    attitude = forms.TypedChoiceField(label=_("Attitude"), choices=SCORES, coerce=int, widget=forms.RadioSelect)
    speed = forms.TypedChoiceField(label=_("Speed"), choices=SCORES, coerce=int, widget=forms.RadioSelect)
    result = forms.TypedChoiceField(label=_("Result"), choices=SCORES, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpForm(forms.Form):
    body = forms.CharField(label=_("Add to your post"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still unsolved?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TrackLookupForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper().replace("-", "").replace(" ", "")
        post = Post.objects.filter(tracking_code=code).only("tracking_token").first()
        if post is None:
            raise ValidationError(_("No post has this tracking code. Check it and try again."))
        self.post = post
        return code
