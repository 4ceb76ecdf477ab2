"""The page chrome's fixed parts, rendered once per process, site, language and site version.

Every page of the site extends base.html, whose asset links and footer do not depend on the
person asking or the address: only on the site (its organiser settings) and the language.
`{% chrome "name" %}…{% endchrome %}` renders its contents the first time and then hands out
the same HTML, kept in the page cache's per-process memo (content/cache.py: PAGES), which
forgets it whenever a page is published, moved or deleted or the organiser settings change,
as it does the navigation. The account link, messages, large text, the search box and the
current page's marks stay outside such blocks and are rendered for each request.

Only wrap markup that reads nothing from the request, the user or the page: the block's
first rendering is what everyone else gets.
"""

from django import template
from django.utils.translation import get_language

from content.cache import PAGES

register = template.Library()


class ChromeNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        site = getattr(request, "_wagtail_site", None) if request is not None else None
        if site is None:  # no site resolved (a bad host, no request): nothing worth keeping
            return self.nodelist.render(context)
        key = ("chrome", self.name, site.pk, get_language())
        # NodeList.render returns a SafeString: kept as such.
        return PAGES.get(key, lambda: self.nodelist.render(context))


@register.tag("chrome")
def chrome(parser, token):
    """{% chrome "name" %}…{% endchrome %}: see the module's docstring."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][:1] not in "\"'" or bits[1][-1:] != bits[1][:1]:
        raise template.TemplateSyntaxError('usage: {% chrome "name" %}…{% endchrome %}')
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(bits[1][1:-1], nodelist)
