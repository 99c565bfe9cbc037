from .handling import CalendarDay, HandlingSettings
from .pages import WallIndexPage, WallPostPage, WallPostReply, WallYearPage
from .posts import FollowUp, Post, PostPhoto, Rating, Reply, TransitionError
from .units import Category, Kind, Unit

__all__ = [
    "CalendarDay",
    "HandlingSettings",
    "Category",
    "FollowUp",
    "Kind",
    "Post",
    "PostPhoto",
    "Rating",
    "Reply",
    "TransitionError",
    "Unit",
    "WallIndexPage",
    "WallPostPage",
    "WallPostReply",
    "WallYearPage",
]
