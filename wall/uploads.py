"""A request body larger than any of our forms can need is refused before it is read, whatever
the proxy in front of the site allows: six photos of the largest size, and room for the text."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _content_length(request) > settings.ECHOWALL_MAX_REQUEST_BYTES:
            return _too_large(request)
        return self.get_response(request)


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:  # Django reads such a body as empty
        return 0


def _too_large(request):
    message = _("What you sent adds up to more than %(max)s. Please send fewer or smaller photos.") % {
        "max": filesizeformat(settings.ECHOWALL_MAX_REQUEST_BYTES)
    }
    if request.path.startswith(("/api/", "/open311/")):
        return JsonResponse({"detail": message}, status=413, json_dumps_params={"ensure_ascii": False})
    return render(request, "too_large.html", {"message": message}, status=413)
