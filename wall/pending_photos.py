"""Photos kept across a failed submission of the post form: a mistyped captcha or a missing field
must not cost the poster their photos. Kept as PendingPhoto, known only to the browser's session."""

from django.db import transaction
from django.http import FileResponse, Http404

from accounts import ratelimit
from wall.models import PendingPhoto

SESSION_KEY = "pending_photos"
KEEP_HOURS = 24  # then remove_orphan_photos deletes them


def kept(request):
    """The photos this browser sent with an earlier try that the form still keeps (their boxes ticked)."""
    if request.method != "POST":
        return []
    mine = set(request.session.get(SESSION_KEY, []))
    wanted = [key for key in request.POST.getlist("keep_photo") if key in mine]
    return list(PendingPhoto.objects.filter(key__in=wanted).order_by("pk"))


def keep_new(request, form):
    """After a failed submission: keep the form's new photos, if they were valid, for the next try.
    Kept photos are stored files, so failed submissions from one network keep them only so often."""
    photos = form.cleaned_data.get("photos") or []
    if photos and not ratelimit.allow_web_write(request, "photos"):
        form.photos_dropped = True
        return
    new = [PendingPhoto.objects.create(image=photo) for photo in photos]
    if new:
        request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), *(photo.key for photo in new)]
        form.kept = [*form.kept, *new]


def forget(request):
    """The post is stored, its kept photos copied into it: delete this browser's kept photos, the
    unticked ones too, their files once committed."""
    for photo in PendingPhoto.objects.filter(key__in=request.session.pop(SESSION_KEY, [])):
        name, storage = photo.image.name, photo.image.storage
        photo.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))


def serve(request, key):
    """A kept photo's thumbnail, to the browser that sent it only."""
    if key not in request.session.get(SESSION_KEY, []):
        raise Http404
    photo = PendingPhoto.objects.filter(key=key).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
