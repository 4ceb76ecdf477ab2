"""Who may judge: adults who take no part in the contest, found by a search, never a pupil.

Every public sign-up gives a birth month (the age step), so an account with one is judged
by it: 18 or older on the Asia/Shanghai calendar (accounts/age.py), with no guardian
process. Accounts without one are those organisers create for their experts. Anyone who
entered the contest (or, without a contest, any contest) is a participant, never a judge.
"""

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet

from accounts.masking import mask_email, mask_phone
from kepu.days import local_day

ADULT_AGE = 18
SEARCH_LIMIT = 20


def eligible_judges(contest=None, today=None) -> QuerySet:
    """Active adult accounts that are not entrants of `contest` (of any contest without
    one)."""
    User = get_user_model()
    today = today or local_day()
    # Age is counted with the birthday at the end of the birth month (accounts/age.py):
    # 18 full years means a birth month at least 18 × 12 + 1 months before this one.
    latest_birth = today.year * 12 + today.month - (ADULT_AGE * 12 + 1)
    entrants = (
        Q(contest_entries__contest=contest)
        if contest is not None
        else Q(contest_entries__isnull=False)
    )
    return (
        User.objects.filter(is_active=True, consent_status=User.ConsentStatus.NOT_REQUIRED)
        .annotate(birth=F("birth_year") * 12 + F("birth_month"))
        .filter(Q(birth_year__isnull=True) | Q(birth__lte=latest_birth))
        .exclude(pk__in=User.objects.filter(entrants).values("pk"))
    )


def search_judges(query: str, contest=None) -> QuerySet:
    """Eligible judges whose name, username or e-mail address contains `query`, or whose
    phone number ends with it; at most SEARCH_LIMIT, by name."""
    query = query.strip()
    judges = eligible_judges(contest)
    if query:
        digits = "".join(char for char in query if char.isdigit())
        matches = (
            Q(display_name__icontains=query)
            | Q(username__icontains=query)
            | Q(email__icontains=query)
            | Q(profile__real_name__icontains=query)
        )
        if len(digits) >= 4:
            matches |= Q(phone__endswith=digits)
        judges = judges.filter(matches)
    return judges.order_by("display_name", "username")[:SEARCH_LIMIT]


def judge_label(user) -> str:
    """How organisers see a candidate judge: name, username and a masked contact."""
    contact = mask_email(user.email) or mask_phone(user.phone)
    name = user.display_name or user.username
    details = " · ".join(part for part in (user.username, contact) if part and part != name)
    return f"{name}（{details}）" if details else name
