from .contest import AwardLevel, Contest, ContestGroup, EntryKind, Phase
from .entries import Entry, EntryFile
from .page import ContestPage

__all__ = [
    "AwardLevel",
    "Contest",
    "ContestGroup",
    "ContestPage",
    "Entry",
    "EntryFile",
    "EntryKind",
    "Phase",
]
