"""Posts made through the API: the web form's rules, less the captcha (a key or a login stands in)."""

from django.db import transaction
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from wall.forms import PostForm


class ApiPostForm(PostForm):
    """PostForm without the captcha: API writes are authenticated and rate-limited instead.

    Everything else is the web's: lengths, active units, photos re-encoded, and a post by nobody
    logged in is anonymous whatever it asks for. Contact details are seen by editors only.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("captcha", None)


def create_post(user, data, channel, photos=()):
    """Validate data (a dict of PostForm fields) and store the post, as come through channel (an API's
    Post.Channel); return (post, None) or (None, errors).

    The post is saved, with its photos, before this returns: whoever answers the client has it.
    """
    form_data = QueryDict(mutable=True)
    for name, value in data.items():
        if value is None or value is False:
            continue  # a checkbox left unticked is absent, as from a browser
        form_data[name] = "on" if value is True else str(value)
    form = ApiPostForm(form_data, MultiValueDict({"photos": list(photos)}), user=user)
    if not form.is_valid():
        return None, form.errors
    form.instance.channel = channel
    with transaction.atomic():
        post = form.save()
    return post, None


def summary_title(text, length=30):
    """A title from the first words of a text, for clients that send no title (Open311)."""
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1] + "…"
