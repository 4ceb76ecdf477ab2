from .awards import AwardCertificate, EntryAward, ExhibitedEntry
from .contest import AwardLevel, Contest, ContestGroup, EntryKind, Phase
from .contest_exports import ContestExport
from .eligibility import Ineligibility
from .entries import Entry, EntryFile
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
