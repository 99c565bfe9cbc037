"""The lists staff work from: each role's queue (日清零, 逾期督办) and all posts within reach, as
Wagtail's own listings (its table, columns, filters and pagination)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, StatusTagColumn, Table, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView

from cases import roles
from cases.filters import EscalationFilterSet, PostFilterSet
from cases.models import HandlingSettings, Post, Unit

from .base import LIST_RELATED

POSTS_PER_PAGE = 30


class PostTable(Table):
    def get_row_classname(self, post):
        late = post.is_screening_overdue or post.is_overdue or post.is_resolution_overdue
        return "w-bg-critical-50" if late else ""


class PostTitleColumn(TitleColumn):
    """The title as "#12 Title", linking to the case file, with its co-handling and key-supervision tags."""

    cell_template_name = "cases/admin/title_cell.html"

    def __init__(self):
        super().__init__("title", label=_("Title"), accessor="__str__", url_name="cases_admin:post")


class DeadlineColumn(Column):
    """A deadline as its text ("还剩 3 小时", "已超时 2 天"), marked when it has passed."""

    cell_template_name = "cases/admin/deadline_cell.html"

    def __init__(self, name, label, is_overdue):
        super().__init__(name, label=label)
        self.is_overdue = is_overdue

    def get_cell_context_data(self, post, parent_context):
        return super().get_cell_context_data(post, parent_context) | {"overdue": getattr(post, self.is_overdue)}


class PlannedDateColumn(Column):
    """The date a held post (暂无法解决) is planned to be solved by, marked once it has come."""

    cell_template_name = "cases/admin/planned_date_cell.html"


class WaitingColumn(Column):
    cell_template_name = "cases/admin/waiting_cell.html"


class DateTimeColumn(Column):
    cell_template_name = "cases/admin/datetime_cell.html"


STATUS = StatusTagColumn("get_status_display", label=_("Status"), primary=True)
UNIT = Column("unit", label=_("Unit"))
CATEGORY = Column("category", label=_("Category"))
REPLY_DUE = DeadlineColumn("due_display", _("Reply due"), "is_overdue")
AGE = WaitingColumn("created_at", label=_("Since posting"))  # the post's overall age, whatever its unit's clock
RESOLUTION_DUE = DeadlineColumn("resolution_display", _("Resolution due"), "is_resolution_overdue")
ON_HOLD_COLUMNS = [
    PlannedDateColumn("solve_by", label=_("Planned solution date")),
    Column(
        "hold_reason",
        label=_("Why it cannot be solved now"),
        accessor=lambda post: Truncator(post.hold_reason or "").chars(60),
    ),
]


class PostListing(BaseListingView):
    """A list of posts for the users `is_for(user)` accepts; `posts(user)` says which."""

    table_class = PostTable
    is_for = None
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        if not type(self).is_for(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def posts(self, user):
        raise NotImplementedError

    def get_base_queryset(self):
        return self.posts(self.request.user).select_related(*LIST_RELATED)

    @cached_property
    def no_results_message(self):
        return self.empty_message


class ScreeningQueue(PostListing):
    is_for = roles.is_editor
    page_title = _("New posts")
    header_icon = "mail"
    empty_message = _("No new posts: the queue is clear.")
    columns = [
        PostTitleColumn(),
        Column("kind", label=_("Kind")),
        CATEGORY,
        Column("requested_unit", label=_("Unit asked for")),
        WaitingColumn("created_at", label=_("Waiting for")),
        DeadlineColumn("screening_display", _("Screening due"), "is_screening_overdue"),
    ]

    def posts(self, user):
        return Post.objects.awaiting_screening()


class UnrepliedQueue(PostListing):
    is_for = roles.handles_any_unit
    page_title = _("My units' unreplied posts")
    header_icon = "time"
    empty_message = _("Nothing waits for a reply: your units' queue is clear.")
    columns = [PostTitleColumn(), UNIT, STATUS, AGE, REPLY_DUE, RESOLUTION_DUE]

    def posts(self, user):
        return Post.objects.handled_by(user).awaiting_reply()


class AwaitingClosureQueue(PostListing):
    """Answered but not closed (待办结): the lead unit's to finish; a co-unit's part ends at its reply."""

    is_for = roles.handles_any_unit
    page_title = _("My units' posts awaiting closure")
    header_icon = "check"
    empty_message = _("Nothing answered waits to be closed.")
    columns = [PostTitleColumn(), UNIT, STATUS, AGE, RESOLUTION_DUE]

    def posts(self, user):
        replied = Post.objects.handled_by(user).filter(status=Post.Status.REPLIED, co_handling=False)
        return replied.order_by("resolution_due_at", "pk")


class OnHoldQueue(PostListing):
    """挂账: posts the lead unit answered "cannot be solved now", with the reason and the planned date."""

    is_for = roles.handles_any_unit
    page_title = _("My units' posts on hold")
    header_icon = "date"
    empty_message = _("No post of your units is on hold.")
    columns = [PostTitleColumn(), UNIT, AGE, *ON_HOLD_COLUMNS]

    def posts(self, user):
        return Post.objects.handled_by(user).filter(co_handling=False).on_hold().with_hold_reason()


class ReturnVisitQueue(PostListing):
    """回访: closed posts due for a return visit, by the handling rules' delay and share."""

    is_for = roles.is_editor
    page_title = _("Return visits due")
    header_icon = "user"
    empty_message = _("No closed post waits for a return visit.")
    columns = [PostTitleColumn(), UNIT, CATEGORY, DateTimeColumn("closed_at", label=_("Closed at"))]

    def posts(self, user):
        return Post.objects.due_for_return_visit(HandlingSettings.load())


class SupervisionList(PostListing):
    header_icon = "warning"
    columns = [
        PostTitleColumn(),
        UNIT,
        STATUS,
        Column("get_escalation_display", label=_("Escalation")),
        AGE,
        REPLY_DUE,
        RESOLUTION_DUE,
    ]

    def get_base_queryset(self):
        return super().get_base_queryset().order_by("resolution_due_at", "pk")


class OverdueQueue(SupervisionList):
    is_for = roles.supervises_any_unit
    page_title = _("Overdue in my units")
    empty_message = _("Nothing is overdue in the units you watch.")

    def posts(self, user):
        return Post.objects.supervised_by(user).overdue()


class AllOverdueQueue(SupervisionList):
    """The global supervisors' list: every overdue post, and what was sent up to them."""

    is_for = roles.is_global_supervisor
    page_title = _("Overdue and escalated posts")
    empty_message = _("Nothing is overdue or escalated.")
    filterset_class = EscalationFilterSet
    index_url_name = "cases_admin:all_overdue"
    index_results_url_name = "cases_admin:all_overdue_results"

    def posts(self, user):
        return Post.objects.for_global_supervisors()


class KeySupervisionQueue(SupervisionList):
    """重点督办: every one for the global supervisors; the posts within reach for other staff."""

    is_for = roles.is_staff_member
    page_title = _("Key supervision")
    header_icon = "thumbtack"
    empty_message = _("No open post is under key supervision.")

    def posts(self, user):
        return Post.objects.visible_to(user).key_supervision()


class AllPosts(PostListing):
    """全部诉求: every post within the user's reach, newest first, filtered as Wagtail's listings are,
    and the staff's case search (the admin's search box): by number, tracking code or words."""

    is_for = roles.is_staff_member
    is_searchable = True
    page_title = _("All posts")
    empty_message = _("No posts match.")
    paginate_by = POSTS_PER_PAGE
    filterset_class = PostFilterSet
    index_url_name = "cases_admin:posts"
    index_results_url_name = "cases_admin:posts_results"
    columns = [
        PostTitleColumn(),
        STATUS,
        UNIT,
        CATEGORY,
        DateTimeColumn("created_at", label=_("Posted")),
        REPLY_DUE,
        RESOLUTION_DUE,
    ]

    def posts(self, user):
        return Post.objects.visible_to(user).order_by("-created_at", "-pk")

    def search_queryset(self, posts):
        return posts.matching(self.search_query) if self.is_searching else posts

    def get_filterset_kwargs(self):
        user = self.request.user
        if roles.is_editor(user) or roles.is_global_supervisor(user):
            units = Unit.objects.all()
        else:
            units = Unit.objects.filter(Q(handlers=user) | Q(supervisors=user)).distinct()
        return super().get_filterset_kwargs() | {"units": units}
