from .handling import CalendarDay, HandlingSettings
from .notifications import Notification
from .pages import WallIndexPage, WallPostPage, WallPostReply, WallYearPage
from .posts import (
    AnswerReused,
    Follow,
    FollowUp,
    InternalNote,
    Post,
    PostPhoto,
    Rating,
    Reply,
    ReturnVisit,
    Transfer,
    TransitionError,
)
from .ratelimit import RateCounter
from .statistics import DailyFigures, MonthlyWaits, StaleDay, StatisticsSettings
from .units import Category, Kind, Unit

__all__ = [
    "AnswerReused",
    "CalendarDay",
    "HandlingSettings",
    "InternalNote",
    "Notification",
    "Category",
    "DailyFigures",
    "Follow",
    "FollowUp",
    "Kind",
    "MonthlyWaits",
    "Post",
    "PostPhoto",
    "RateCounter",
    "Rating",
    "StatisticsSettings",
    "Reply",
    "ReturnVisit",
    "StaleDay",
    "Transfer",
    "TransitionError",
    "Unit",
    "WallIndexPage",
    "WallPostPage",
    "WallPostReply",
    "WallYearPage",
]
