"""`{% popularity_panel entry %}` for the entry's vote page: score, share link, comments;
`{% entry_share_url entry as url %}` for its share box."""

import uuid

from django import template

from .. import services
from ..links import share_url

register = template.Library()


@register.inclusion_tag("popularity/includes/entry_panel.html", takes_context=True)
def popularity_panel(context, entry):
    """The entry's score, share link and comments for its vote page."""
    figures = services.entry_figures(entry)
    return {
        "request": context.get("request"),
        "user": context.get("user"),
        "entry": entry,
        "figures": figures,
        "rule": services.rule_for(entry.contest),
        "share_url": share_url(entry),
        "comments": list(services.approved_comments(entry)[:50]) if figures else [],
        "token": uuid.uuid4(),
        "may_comment": services.may_vote(context.get("user")) and entry.contest.voting_open(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def entry_share_url(entry):
    """The entry's counted share link (public address), for the vote page's share box."""
    return share_url(entry)
