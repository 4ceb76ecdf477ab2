from .audit import VoteAuditLog
from .votes import Shortlist, Vote

__all__ = ["Shortlist", "Vote", "VoteAuditLog"]
