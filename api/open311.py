"""Open311 GeoReport v2 at /open311/v2/, in XML and JSON, as the spec shows them.

- A service is a category within a kind (service_code "repair-12", group = the kind).
- Requests are accepted synchronously: POST requests answers with the service_request_id at once,
  never with a token, so tokens/{token} always answers 404.
- Reading shows only public posts (their live wall pages); a request not on the wall is "not found",
  whether it exists or not.
- Posting needs an api_key and follows the web's rules: the post waits for screening, is anonymous
  (the client vouches for nobody; first_name, last_name, email and phone go to the editors only) and
  stays off the wall unless the client sends attribute[wants_public]=true because its user agreed.
"""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from functools import reduce, wraps
from operator import or_

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.http import HttpResponse
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from api import ratelimit
from api.models import ApiKey, ApiSubmission
from api.posting import create_post, summary_title
from api.public import latest_public_reply, only_public, parse_service_code, public_posts, service_code
from cases.models import Category, Kind, Post
from cases.params import moment_range, parse_id, parse_moment

MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
# Open311 field → our form field, for error messages in the client's own terms.
FIELD_NAMES = {
    "title": "description",
    "body": "description",
    "contact_name": "first_name",
    "contact_phone": "phone",
    "contact_email": "email",
    "photos": "media",
    "kind": "service_code",
    "category": "service_code",
}
LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# When the discovery document's content last changed (the spec's `changeset`, sortable).
DISCOVERY_CHANGESET = "2026-12-02 00:00"
TRUE_VALUES = ("1", "true", "yes", "on")


# -- rendering ---------------------------------------------------------------------------------


def _xml_element(tag, value):
    element = ET.Element(tag)
    if isinstance(value, dict):
        for name, child in value.items():
            element.append(_xml_element(name, child))
    elif isinstance(value, list):
        for child in value:
            element.append(_xml_element(LIST_ITEMS[tag], child))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def _respond(fmt, root, data, status=200):
    """data is a list (rendered as <root><item/>…</root>) or, for one object, a dict (<root>…</root>)."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    xml = ET.tostring(_xml_element(root, data), encoding="unicode")
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + xml
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _errors(fmt, status, *descriptions):
    return _respond(fmt, "errors", [{"code": status, "description": str(text)} for text in descriptions], status)


def _allow(*methods):
    if "GET" in methods:
        methods = (*methods, "HEAD")

    def decorator(view):
        @wraps(view)
        def wrapped(request, fmt, **kwargs):
            if request.method not in methods:
                response = _errors(fmt, 405, _("Method %(method)s is not allowed here.") % {"method": request.method})
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, fmt, **kwargs)

        return wrapped

    return decorator


def w3c(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


# -- discovery -----------------------------------------------------------------------------------


@_allow("GET")
def discovery(request, fmt):
    """The spec's discovery document: where the v2 endpoint is, what it speaks, whom to ask for a key."""
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": fmt})).removesuffix(f"/services.{fmt}")
    document = {
        "changeset": DISCOVERY_CHANGESET,
        "contact": _("Write to %(email)s.") % {"email": settings.DEFAULT_FROM_EMAIL},
        "key_service": _("The site's administrators issue keys, one per client system (admin: API clients)."),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": DISCOVERY_CHANGESET,
                "type": "test" if settings.DEBUG else "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return _respond(fmt, "discovery", document)


# -- services ------------------------------------------------------------------------------------


def _service(kind, category):
    return {
        "service_code": service_code(kind, category),
        "service_name": category.name,
        "description": kind.description or kind.entry_label or kind.name,
        "metadata": False,
        "type": "realtime",
        "keywords": f"{kind.name}, {category.name}",
        "group": kind.name,
    }


def _find_service(code):
    parsed = parse_service_code(code)
    if parsed is None:
        return None
    kind = Kind.objects.filter(slug=parsed[0]).first()
    category = Category.objects.filter(pk=parsed[1]).first()
    return (kind, category) if kind and category else None


@_allow("GET")
def services(request, fmt):
    categories = list(Category.objects.all())
    rows = [_service(kind, category) for kind in Kind.objects.all() for category in categories]
    return _respond(fmt, "services", rows)


@_allow("GET")
def service_definition(request, fmt, code):
    if _find_service(code) is None:
        return _errors(fmt, 404, _("service_code %(code)s not found.") % {"code": code})
    return _respond(fmt, "service_definition", {"service_code": code, "attributes": []})


# -- reading requests ----------------------------------------------------------------------------


def _request_row(request, post):
    page = post.page
    reply = latest_public_reply(page)
    closed = page.status == Post.Status.CLOSED
    title = page.title.rstrip("…")
    description = page.body if page.body.startswith(title) else f"{page.title}\n\n{page.body}"
    photo_url = None
    if page.photo_ids:
        photo_url = request.build_absolute_uri(reverse("wall:photo", args=[page.photo_ids[0]]))
    return {
        "service_request_id": post.pk,
        "status": "closed" if closed else "open",
        "status_notes": reply.body if reply else None,
        "service_name": page.category.name if page.category else None,
        "service_code": service_code(page.kind, page.category) if page.kind and page.category else None,
        "description": description,
        "agency_responsible": page.unit.name if page.unit else None,
        "service_notice": None,
        "requested_datetime": w3c(page.posted_at),
        "updated_datetime": w3c(page.last_published_at),
        "expected_datetime": None if closed else w3c(post.resolution_due_at),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": photo_url,
    }


class BadQuery(Exception):
    pass


def _moment(params, name, end_of_day=False):
    if not params.get(name):
        return None
    moment = parse_moment(params[name], end_of_day)
    if moment is None:
        raise BadQuery(_("%(name)s must be a W3C date, e.g. 2026-01-31T08:00:00+08:00.") % {"name": name})
    return moment


def _date_range(params):
    start = _moment(params, "start_date")
    end = _moment(params, "end_date", end_of_day=True)
    span = timedelta(days=DEFAULT_DAYS)
    if start and end:
        if end < start:
            raise BadQuery(_("end_date is before start_date."))
        if end - start > span:
            raise BadQuery(_("start_date and end_date may not span more than %(days)d days.") % {"days": DEFAULT_DAYS})
        return start, end
    return moment_range(start, end, span)


def _filter_requests(posts, params):
    if params.get("service_request_id"):
        ids = [parse_id(value.strip()) for value in params["service_request_id"].split(",") if value.strip()]
        if None in ids or len(ids) > MAX_REQUESTS:
            raise BadQuery(_("service_request_id must be a comma-separated list of numbers."))
        return posts.filter(pk__in=ids)  # overrides every other filter
    if params.get("service_code"):
        codes = [parse_service_code(code.strip()) for code in params["service_code"].split(",")]
        wanted = [code for code in codes if code]
        if not wanted:
            return posts.none()
        posts = posts.filter(reduce(or_, (Q(page__kind__slug=slug, page__category_id=pk) for slug, pk in wanted)))
    if params.get("status"):
        statuses = {value.strip().lower() for value in params["status"].split(",")}
        if not statuses <= {"open", "closed"}:
            raise BadQuery(_("status must be open, closed or both, comma-separated."))
        if statuses == {"open"}:
            posts = posts.exclude(page__status__in=[Post.Status.CLOSED])
        elif statuses == {"closed"}:
            posts = posts.filter(page__status=Post.Status.CLOSED)
    start, end = _date_range(params)
    return posts.filter(page__posted_at__gte=start, page__posted_at__lte=end)


def _list_requests(request, fmt):
    try:
        posts = _filter_requests(public_posts(), request.GET)
    except BadQuery as error:
        return _errors(fmt, 400, error)
    rows = [_request_row(request, post) for post in only_public(posts[:MAX_REQUESTS])]
    return _respond(fmt, "service_requests", rows)


@_allow("GET")
def request_detail(request, fmt, pk):
    number = parse_id(pk)
    posts = only_public(public_posts().filter(pk=number)) if number else []
    if not posts:
        return _errors(fmt, 404, _("service_request_id %(id)s not found.") % {"id": pk})
    return _respond(fmt, "service_requests", [_request_row(request, posts[0])])


@_allow("GET")
def token(request, fmt, token):
    return _errors(
        fmt, 404, _("Token %(token)s not found: requests are accepted at once, with their id.") % {"token": token}
    )


# -- posting a request ---------------------------------------------------------------------------


def _body(params):
    lines = [params.get("description", "").strip()]
    if params.get("address_string", "").strip():
        lines.append(_("Place: %(place)s") % {"place": params["address_string"].strip()})
    if params.get("lat", "").strip() and params.get("long", "").strip():
        where = {"lat": params["lat"].strip(), "long": params["long"].strip()}
        lines.append(_("Coordinates: %(lat)s, %(long)s") % where)
    return "\n\n".join(lines)


def _post_data(params, kind, category):
    parts = (params.get("first_name", "").strip(), params.get("last_name", "").strip())
    name = " ".join(part for part in parts if part)
    return {
        "kind": kind.pk,
        "category": category.pk,
        "title": summary_title(params.get("description", "")),
        "body": _body(params),
        "wants_public": params.get("attribute[wants_public]", "").strip().lower() in TRUE_VALUES,
        "contact_name": name,
        "contact_phone": params.get("phone", "").strip(),
        "contact_email": params.get("email", "").strip(),
    }


def _form_errors(errors):
    return [f"{FIELD_NAMES.get(field, field)}: {message}" for field, messages in errors.items() for message in messages]


def _check_media_url(url):
    if not url:
        return True
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


def _create_request(request, fmt):
    params = request.POST
    supplied_key = params.get("api_key") or request.GET.get("api_key")
    if not supplied_key:
        return _errors(fmt, 400, _("api_key was not provided."))
    key = ApiKey.find(supplied_key)
    if key is None:
        return _errors(fmt, 403, _("Invalid api_key received -- can't proceed with create_request."))
    if not ratelimit.allow_write(request, key.client):
        return _errors(fmt, 429, _("Too many requests from this client; try again later."))
    if not params.get("service_code"):
        return _errors(fmt, 400, _("service_code was not provided."))
    service = _find_service(params["service_code"])
    if service is None:
        return _errors(fmt, 404, _("service_code %(code)s not found.") % {"code": params["service_code"]})
    if not params.get("description", "").strip():
        return _errors(fmt, 400, _("description was not provided."))
    media_url = params.get("media_url", "").strip()
    if not _check_media_url(media_url):
        return _errors(fmt, 400, _("media_url must be an http or https URL."))
    data = _post_data(params, *service)
    post, errors = create_post(AnonymousUser(), data, Post.Channel.OPEN311, photos=request.FILES.getlist("media"))
    if errors:
        return _errors(fmt, 400, *_form_errors(errors))
    ApiSubmission.objects.create(post=post, client=key.client)
    if media_url:
        # Never fetched by the server (it could point anywhere inside the campus network); editors
        # and the poster see the link, the wall does not.
        post.add_follow_up(_("Photo link sent with the post: %(url)s") % {"url": media_url})
    return _respond(fmt, "service_requests", [_accepted(request, post)])


def _accepted(request, post):
    track_url = request.build_absolute_uri(reverse("wall:track", args=[post.tracking_token]))
    notice = _(
        "Received. Editors check it before it goes to the unit in charge. Tracking code %(code)s; "
        "replies, including private ones, at %(url)s"
    ) % {"code": post.tracking_code, "url": track_url}
    return {"service_request_id": post.pk, "service_notice": notice, "account_id": None}


@csrf_exempt
@_allow("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _create_request(request, fmt)
    return _list_requests(request, fmt)


app_name = "open311"
urlpatterns = [
    re_path(r"^discovery\.(?P<fmt>json|xml)$", discovery, name="discovery"),
    re_path(r"^services\.(?P<fmt>json|xml)$", services, name="services"),
    re_path(r"^services/(?P<code>[^/]+)\.(?P<fmt>json|xml)$", service_definition, name="service"),
    re_path(r"^requests\.(?P<fmt>json|xml)$", requests, name="requests"),
    re_path(r"^requests/(?P<pk>[^/]+)\.(?P<fmt>json|xml)$", request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]+)\.(?P<fmt>json|xml)$", token, name="token"),
]
