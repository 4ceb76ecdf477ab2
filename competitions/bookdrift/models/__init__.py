from .awards import DriftAward, DriftCertificate
from .books import Book
from .campaigns import DriftCampaign, SchoolClass, Station
from .copies import BookCopy
from .journeys import JourneyStep
from .labels import LabelLayout, LabelSheet
from .reminders import DriftReminder, ReaderNotice
from .reviews import BookReview

__all__ = [
    "Book",
    "BookCopy",
    "BookReview",
    "DriftAward",
    "DriftCampaign",
    "DriftCertificate",
    "DriftReminder",
    "JourneyStep",
    "LabelLayout",
    "LabelSheet",
    "ReaderNotice",
    "SchoolClass",
    "Station",
]
