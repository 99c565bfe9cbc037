from .handling import CalendarDay, HandlingSettings
from .pages import WallIndexPage, WallPostPage, WallPostReply, WallYearPage
from .posts import Post, PostPhoto, TransitionError
from .ratelimit import RateCounter
from .records import AnswerReused, Follow, FollowUp, InternalNote, Rating, Reply, ReturnVisit, Transfer
from .units import Category, Kind, Unit

__all__ = [
    "AnswerReused",
    "CalendarDay",
    "HandlingSettings",
    "InternalNote",
    "Category",
    "Follow",
    "FollowUp",
    "Kind",
    "Post",
    "PostPhoto",
    "RateCounter",
    "Rating",
    "Reply",
    "ReturnVisit",
    "Transfer",
    "TransitionError",
    "Unit",
    "WallIndexPage",
    "WallPostPage",
    "WallPostReply",
    "WallYearPage",
]
