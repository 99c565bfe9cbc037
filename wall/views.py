import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import OperationalError, transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Site

from accounts import ratelimit
from cases.models import AnswerReused, Follow, HandlingSettings, Kind, Post, PostPhoto, Rectification, TransitionError
from cases.params import parse_slug, parse_text
from wall import busy, pending_photos
from wall.forms import FollowUpForm, PostForm, RatingForm, ReopenForm, TrackLookupForm
from wall.pagecache import cacheable
from wall.projection import is_photo_public, is_public

# The same title and text again from the same browser within this many seconds is the same post.
DUPLICATE_SECONDS = 600
# How many "我的问题已解决" a browser's session remembers, so each counts once (the session stays small).
REMEMBERED_ANSWERS = 100


def _get_post_for_token(token):
    if parse_slug(token) is None:  # no token has other letters; PostgreSQL refuses a NUL even to look it up
        raise Http404
    return get_object_or_404(Post, tracking_token=token)


@require_GET
def switch_language(request, code):
    """The footer's language links: a link, not a form, so public pages carry no CSRF token and an
    anonymous reader of the wall gets no cookie at all until they choose a language or post."""
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    response = HttpResponseRedirect(back)  # redirect() would read a bare word as a URL name
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def submit(request):
    kind = Kind.objects.filter(slug=parse_slug(request.GET.get("kind", ""))).first()
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"kind": kind},
        kept=pending_photos.kept(request),
    )
    if request.method == "POST":
        try:
            if form.is_valid():
                return _store(request, form)
            pending_photos.keep_new(request, form)  # the photos stay for the next try
        except OperationalError as error:
            if not busy.is_busy(error):
                raise
            # Nothing was stored (the post and its photos are one transaction): the form, as typed,
            # goes back with "try again". Without the captcha: drawing a new one writes to the busy
            # database; sent again, the form asks for it.
            form.fields.pop("captcha", None)
            context = {"form": form, "busy": True, "photos_dropped": bool(request.FILES)}
            return busy.mark_retryable(render(request, "wall/submit.html", context, status=503))
    return render(request, "wall/submit.html", {"form": form})


def pending_photo(request, key):
    return pending_photos.serve(request, key)


def _store(request, form):
    """Store a valid post once, and go to its thanks page."""
    digest = _digest(form.cleaned_data)
    earlier = _recent_post(request, digest)
    if earlier:  # the same text again from this browser: a double tap, or "back" and "submit"
        messages.info(request, _("You had just sent this post; it was not stored twice."))
        return redirect("wall:thanks", token=earlier)
    if not ratelimit.allow_web_write(request, "post"):
        form.add_error(
            None,
            _("Too many posts from your network just now. Please try again later: what you typed is still here."),
        )
        return render(request, "wall/submit.html", {"form": form}, status=429)
    with transaction.atomic():
        post = form.save()
        pending_photos.forget(request)
    request.session["last_post"] = {"digest": digest, "token": post.tracking_token, "at": time.time()}
    return redirect("wall:thanks", token=post.tracking_token)


def _digest(data):
    text = "\n".join(" ".join(str(data[name]).split()) for name in ("title", "body"))
    return hashlib.sha256(text.encode()).hexdigest()


def _recent_post(request, digest):
    """The tracking token of the post this browser sent with the same text in the last minutes, if any."""
    last = request.session.get("last_post") or {}
    if last.get("digest") == digest and time.time() - last.get("at", 0) < DUPLICATE_SECONDS:
        return last.get("token")
    return None


def thanks(request, token):
    post = _get_post_for_token(token)
    return render(request, "wall/thanks.html", {"post": post, **_promise(post)})


def _promise(post):
    """预计答复时间 and whether it has passed without an answer."""
    promised = post.promised_reply_at
    return {"promised_reply_at": promised, "promise_passed": bool(promised and promised < timezone.now())}


def track_lookup(request):
    form = TrackLookupForm(request.POST or None)
    if request.method == "POST" and not ratelimit.allow_tracking_lookup(request):
        form.add_error("code", _("Too many look-ups from your network. Please try again later."))
        return render(request, "wall/track_lookup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        return redirect("wall:track", token=form.post.tracking_token)
    return render(request, "wall/track_lookup.html", {"form": form})


def track(request, token):
    post = _get_post_for_token(token)
    return render(request, "wall/track.html", _track_context(post))


def _track_context(post, **forms):
    return {
        "post": post,
        "replies": post.replies.select_related("unit"),
        "follow_ups": post.follow_ups.all(),
        "rectifications": post.rectifications.select_related("unit").prefetch_related("notes"),
        "ratings": post.ratings.order_by("round"),
        "photos": post.photos.all(),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "merged_into_url": _merged_into_url(post),
        "reopen_at_or_below": HandlingSettings.load().reopen_at_or_below,
        **_promise(post),
    }


def _merged_into_url(post):
    """The wall page of the post this one was merged into, if that one is public: never more of it."""
    other = post.merged_into
    return other.page.url if other and is_public(other) and other.page_id else None


def _poster_action(request, token, form_class, form_name, act, done_message):
    """Shared shape of the poster's actions on the tracking page."""
    post = _get_post_for_token(token)
    form = form_class(request.POST)
    if form.is_valid() and not ratelimit.allow_web_write(request, "action"):
        messages.error(request, _("Too many actions from your network just now. Please try again later."))
        return render(request, "wall/track.html", _track_context(post, **{form_name: form}), status=429)
    if form.is_valid():
        try:
            said = act(post, form.cleaned_data)
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, said or done_message)
            return redirect("wall:track", token=token)
    context = _track_context(post, **{form_name: form})
    return render(request, "wall/track.html", context, status=400)


@require_POST
def follow_up(request, token):
    def act(post, data):
        post.add_follow_up(data["body"])

    return _poster_action(request, token, FollowUpForm, "follow_up_form", act, _("Added to your post."))


@require_POST
def rate(request, token):
    def act(post, data):
        post.rate(data["attitude"], data["speed"], data["result"], data["comment"])
        if post.status == Post.Status.REOPENED:
            return _("Thank you. With that result your post goes back to %(unit)s to be handled again.") % {
                "unit": post.unit.shown_name
            }
        return None

    return _poster_action(request, token, RatingForm, "rating_form", act, _("Thank you for your rating."))


@require_POST
def reopen(request, token):
    def act(post, data):
        post.reopen(data["reason"])

    return _poster_action(request, token, ReopenForm, "reopen_form", act, _("Your post is open again."))


@login_required
def my_posts(request):
    posts = request.user.posts.select_related("kind", "category", "unit")
    followed = Post.objects.filter(follows__user=request.user, page__live=True).select_related("page", "kind")
    return render(request, "wall/my_posts.html", {"posts": posts, "followed": followed})


def _post_on_wall(page_id):
    """The post behind a live wall page, asking the privacy gate again (for the moment between a
    change to the case and its page being withdrawn); 404 otherwise."""
    post = get_object_or_404(Post.objects.select_related("page"), page__pk=page_id, page__live=True)
    if not is_public(post):
        raise Http404
    return post


@require_POST
def follow(request, page_id):
    """Follow a post on the wall, or stop following it (`stop` in the form)."""
    post = _post_on_wall(page_id)
    if not request.user.is_authenticated:
        return redirect_to_login(post.page.url)
    if request.POST.get("stop"):
        Follow.objects.filter(post=post, user=request.user).delete()
        messages.success(request, _("You no longer follow this post."))
    else:
        Follow.objects.get_or_create(post=post, user=request.user)
        messages.success(request, _("You follow this post: you will hear of its public replies by email."))
    return redirect(post.page.url)


@require_POST
def answer_reused(request, page_id):
    """The "我的问题已解决" button beside a suggestion on the submit form: nothing is posted, the post's
    page opens, and the post counts one more reader it spared a question (once a browser)."""
    post = _post_on_wall(page_id)
    counted = request.session.get("answers_reused", [])
    if page_id not in counted and ratelimit.allow_web_write(request, "action"):
        AnswerReused.objects.create(post=post, wording=parse_text(request.POST.get("wording")))
        request.session["answers_reused"] = [*counted, page_id][-REMEMBERED_ANSWERS:]
    messages.success(request, _("Glad an earlier answer helped: nothing was posted."))
    return redirect(post.page.url)


def photo(request, pk):
    """Serves a photo to whoever may see it: anyone if its post is public, else the poster or staff."""
    photo = get_object_or_404(PostPhoto.objects.select_related("post"), pk=pk)
    public = is_photo_public(photo)
    if not public and not _may_see_private_photo(request, photo):
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    # Never in shared caches: a photo must vanish the moment its post leaves the wall.
    response["Cache-Control"] = "private, max-age=3600" if public else "private, no-store"
    return response


def _may_see_private_photo(request, photo):
    post = photo.post
    if request.GET.get("t") == post.tracking_token:
        return True
    user = request.user
    if not user.is_authenticated:
        return False
    return post.poster_id == user.pk or Post.objects.visible_to(user).filter(pk=post.pk).exists()


# Crawlers: the wall and its answers, not the posters' own pages, the staff's or the API.
ROBOTS_DISALLOW = ["/track/", "/my/", "/post/new/", "/admin/", "/api/", "/open311/", "/captcha/", "/language/"]


def robots_txt(request):
    site = Site.find_for_request(request)
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    if site:
        lines.append(f"Sitemap: {site.root_url}/sitemap.xml")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def rectifications(request):
    """整改台账 in public: the items editors chose to show, open ones first. Staff wrote them for the
    public to read; none lists its posts."""
    items = Rectification.objects.filter(is_public=True).select_related("unit").prefetch_related("notes")
    return render(request, "wall/rectifications.html", {"items": items})


def typical_cases(request):
    """典型案例: the posts editors picked, those public now only (the privacy gate), newest first."""
    picked = Post.objects.filter(is_typical=True, page__live=True).select_related("page").order_by("-created_at")
    pages = [post.page for post in picked if is_public(post)]
    return cacheable(render(request, "wall/typical_cases.html", {"posts": pages}))
