"""The 我的 page (`/me/`): a person's own things from every app, then their account.

Apps add a section with `@hooks.register("kepu_my_sections")`: a function taking the request
(always a signed-in user past the age step) and returning None or a dict with "template",
"order" and its context. Each section shows the latest few items with links to the app's
own pages, in a handful of queries.
"""

from wagtail import hooks

HOOK = "kepu_my_sections"
# How many of each (the latest); each app links to its full list.
ITEMS = 10


def my_sections(request) -> list[dict]:
    sections = [section(request) for section in hooks.get_hooks(HOOK)]
    return sorted((s for s in sections if s), key=lambda s: s.get("order", 100))
