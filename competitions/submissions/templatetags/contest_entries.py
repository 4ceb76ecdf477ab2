"""{% my_contest_entry contest as entry %}: the signed-in visitor's entry in a contest."""

from django import template

from competitions.submissions.entries import active_entry

register = template.Library()


@register.simple_tag(takes_context=True)
def my_contest_entry(context, contest):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return active_entry(contest, request.user)
