from .awards import AwardCertificate, EntryAward, ExhibitedEntry
from .contest import AwardLevel, Contest, ContestGroup, EntryKind, Phase
from .eligibility import Ineligibility
from .entries import Entry, EntryFile
from .exports import ContestExport
from .page import ContestPage

__all__ = [
    "AwardCertificate",
    "AwardLevel",
    "Contest",
    "ContestExport",
    "ContestGroup",
    "ContestPage",
    "Entry",
    "EntryAward",
    "EntryFile",
    "EntryKind",
    "ExhibitedEntry",
    "Ineligibility",
    "Phase",
]
