"""我的消息: each staff member's inbox in the admin, newest first with the unread marked; opening a
message reads it and leads on to its case file."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView

from cases.admin_views.base import header
from cases.models import Post
from notifications.notify import EVENT_LABELS


class MessageTitleColumn(TitleColumn):
    cell_template_name = "notifications/admin/message_title_cell.html"


class Inbox(BaseListingView):
    page_title = gettext_lazy("My messages")
    header_icon = "mail"
    paginate_by = 30
    index_url_name = "notifications_inbox:index"
    empty_message = gettext_lazy("No messages yet.")
    template_name = "notifications/admin/inbox.html"
    columns = [
        MessageTitleColumn("subject", label=gettext_lazy("Subject"), url_name="notifications_inbox:message"),
        Column("event", label=gettext_lazy("About"), accessor=lambda message: EVENT_LABELS.get(message.event, "")),
        Column("created_at", label=gettext_lazy("Received at"), accessor=lambda m: timezone.localtime(m.created_at)),
    ]

    def get_base_queryset(self):
        return self.request.user.inbox.all()


def message(request, pk):
    found = get_object_or_404(request.user.inbox, pk=pk)
    if found.read_at is None:
        request.user.inbox.filter(pk=found.pk).update(read_at=timezone.now())
    reachable = found.post_id and Post.objects.visible_to(request.user).filter(pk=found.post_id).exists()
    context = {
        "message": found,
        "case_url": reverse("cases_admin:post", args=[found.post_id]) if reachable else None,
        **header(found.subject, "mail", (reverse("notifications_inbox:index"), _("My messages"))),
    }
    return render(request, "notifications/admin/message.html", context)


@require_POST
def read_all(request):
    count = request.user.inbox.filter(read_at=None).update(read_at=timezone.now())
    messages.success(request, _("%(count)d messages marked as read.") % {"count": count})
    return redirect("notifications_inbox:index")


def unread_count(user):
    return user.inbox.filter(read_at=None).count()


app_name = "notifications_inbox"
urlpatterns = [
    path("", Inbox.as_view(), name="index"),
    path("<int:pk>/", message, name="message"),
    path("read-all/", read_all, name="read_all"),
]
