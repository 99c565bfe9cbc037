from datetime import date, datetime
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, field_validator

from cases.params import MAX_ID

# A database id: bigger numbers cannot be one, and SQLite and PostgreSQL refuse to even compare them.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class In(Schema):
    """A request body. Text holding a NUL character is refused: no one types one, and PostgreSQL
    cannot store it (it would be a server error, not an answer)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(_("must not contain the NUL character"))
        return value


class Error(Schema):
    detail: str = Field(description="Why the request was refused, in words for the person using the client.")


WRITE_ERRORS = {401: Error, 404: Error, 409: Error, 422: Error, 429: Error}


class PublicReplyOut(Schema):
    unit: str
    body: str
    replied_at: datetime


class PublicPostOut(Schema):
    id: int = Field(description="The post's number, as in its wall address and in Open311.")
    url: str
    title: str
    body: str
    kind: str | None
    category: str | None
    unit: str | None
    status: str
    status_label: str
    posted_at: datetime
    replied_at: datetime | None
    replies: list[PublicReplyOut]
    photos: list[str] = Field(description="Addresses of the post's public photos.")


class PostPage(Schema):
    count: int
    page: int
    per_page: int
    results: list[PublicPostOut]


class PostIn(In):
    kind: str = Field(description="A kind's slug, e.g. repair.", max_length=40)
    category: Id = Field(description="A category's id.")
    unit: Id | None = Field(None, description="The unit the poster asks for (optional); editors route.")
    title: str = Field(min_length=4, max_length=100)
    body: str = Field(min_length=10, max_length=5000)
    wants_public: bool = Field(False, description="The poster agrees to show it on the public wall.")
    anonymous: bool = Field(
        False,
        description="Only for a logged-in poster; without a login (a client's key) every post is anonymous. "
        "Once campus single sign-on is on, a real-name post needs a campus login (422 otherwise).",
    )
    contact_name: str = Field("", max_length=50, description="Seen by editors only.")
    contact_phone: str = Field("", max_length=30, description="Seen by editors only.")
    contact_email: str = Field("", max_length=254, description="Seen by editors only.")


class CreatedOut(Schema):
    id: int
    status: str
    tracking_token: str = Field(description="The poster's secret: GET /track/{tracking_token} shows every reply.")
    tracking_code: str
    tracking_url: str


class TrackedReplyOut(Schema):
    unit: str
    body: str
    is_public: bool
    cannot_solve: bool
    solve_by: date | None = Field(description="With cannot_solve: the date the unit plans to solve it by.")
    round: int
    replied_at: datetime


class FollowUpOut(Schema):
    body: str
    created_at: datetime


class TrackedPostOut(Schema):
    id: int
    tracking_code: str
    title: str
    body: str
    kind: str
    category: str
    unit: str | None
    status: str
    status_label: str
    reject_reason: str
    posted_at: datetime
    promised_reply_at: datetime | None = Field(
        description="预计答复时间: promised from posting until the first reply; null once answered or closed."
    )
    on_wall_url: str | None
    replies: list[TrackedReplyOut]
    follow_ups: list[FollowUpOut]
    can_rate: bool


class RatingIn(In):
    attitude: int = Field(ge=1, le=5)
    speed: int = Field(ge=1, le=5)
    result: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=1000)


class ReasonIn(In):
    reason: str = Field(min_length=1, max_length=2000)


class FollowUpIn(In):
    body: str = Field(min_length=1, max_length=2000)


class QueueItemOut(Schema):
    id: int
    title: str
    body: str
    kind: str
    category: str
    unit: str | None
    status: str
    status_label: str
    co_handling: bool = Field(description="True if my unit only co-handles it; the lead unit closes it.")
    is_anonymous: bool
    posted_at: datetime
    reply_due_at: datetime | None
    resolution_due_at: datetime | None
    is_overdue: bool


class ReplyIn(In):
    body: str = Field(min_length=1, max_length=5000)
    is_public: bool = True
    cannot_solve: bool = False
    solve_by: date | None = Field(
        None, description="Required with cannot_solve: the date the unit plans to solve it by."
    )


class ReplyOut(Schema):
    id: int
    post_id: int
    status: str
    is_public: bool
