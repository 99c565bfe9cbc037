from .handling import CalendarDay, HandlingSettings
from .posts import Post, PostPhoto, TransitionError
from .records import (
    AnswerReused,
    Follow,
    FollowUp,
    Instruction,
    InternalNote,
    Rating,
    Reply,
    ReturnVisit,
    Transfer,
)
from .rectifications import Rectification, RectificationNote
from .units import CannedReply, Category, Kind, Place, Unit

__all__ = [
    "AnswerReused",
    "CalendarDay",
    "CannedReply",
    "Category",
    "Place",
    "Rectification",
    "RectificationNote",
    "Follow",
    "FollowUp",
    "HandlingSettings",
    "Instruction",
    "InternalNote",
    "Kind",
    "Post",
    "PostPhoto",
    "Rating",
    "Reply",
    "ReturnVisit",
    "Transfer",
    "TransitionError",
    "Unit",
]
