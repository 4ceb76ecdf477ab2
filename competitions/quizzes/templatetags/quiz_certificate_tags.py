"""Template tags for the certificate links on a quiz result page."""

from django import template

from competitions.quizzes.certificates.services import certificate_for, is_passing

register = template.Library()


@register.simple_tag(takes_context=True)
def certificate_of(context, attempt) -> dict:
    """What the result page may show about `attempt`'s certificate, to its taker only.

    {"passing": bool, "signed_in": bool, "certificate": Certificate | None}; nothing
    passes for someone else's attempt.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    own = attempt.user_id is None or (user is not None and attempt.user_id == user.pk)
    passing = own and is_passing(attempt)
    return {
        "passing": passing,
        "signed_in": attempt.user_id is not None,
        "certificate": certificate_for(attempt) if passing else None,
    }
