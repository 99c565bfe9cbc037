"""The anonymous form's captcha (django-simple-captcha), readable by people: no characters that look
or sound alike."""

import secrets

from captcha.fields import CaptchaTextInput
from django.conf import settings

# No 0/O/Q/D, 1/I/L/J/T, 2/Z, 5/S, 8/B, 6/G, U/V: easy to misread in a picture or mishear read aloud.
READABLE = "ACEFHKMNPRWXY3479"


def readable_challenge():
    """(what the picture shows, the answer expected): case does not matter to the answer."""
    text = "".join(secrets.choice(READABLE) for _ in range(settings.CAPTCHA_LENGTH))
    return text, text.lower()


class ReadableCaptchaInput(CaptchaTextInput):
    """The picture with a Chinese alt text, a button for another picture and a link to hear it.

    Its template is the app's own: widgets render with Django's form renderer, which reads apps'
    templates only."""

    template_name = "wall/captcha_widget.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # A widget in parts gets no aria-describedby from Django: the answer box points at the field's
        # help text itself (its id as templates/includes/form_field.html gives it).
        if attrs and attrs.get("id"):
            context["widget"]["subwidgets"][1]["attrs"]["aria-describedby"] = f"{attrs['id']}_helptext"
        return context
