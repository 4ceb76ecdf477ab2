"""The 搜索 (search) admin menu: the segmentation dictionary, synonym groups and stop words.

Organisers add words the segmenter must keep whole, groups of words that mean the same and
words a query need not match (如何, 哪些 …); all take effect in every process within seconds,
without reindexing (search/dictionary.py). Wagtail's snippet views check the model
permissions (add, change, delete) on every request.
"""

from django.utils.translation import gettext_lazy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from search.models import DictionaryWord, StopWord, SynonymGroup


class DictionaryWordViewSet(SnippetViewSet):
    model = DictionaryWord
    icon = "openquote"
    menu_label = gettext_lazy("Dictionary")
    menu_order = 100
    list_display = ["word", "note", "updated_at"]
    form_fields = ["word", "note"]


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "link"
    menu_label = gettext_lazy("Synonyms")
    menu_order = 110
    list_display = ["__str__", "note", "updated_at"]
    form_fields = ["terms", "note"]


class StopWordViewSet(SnippetViewSet):
    model = StopWord
    icon = "minus"
    menu_label = gettext_lazy("Stop words")
    menu_order = 120
    list_display = ["word", "note", "updated_at"]
    form_fields = ["word", "note"]


class SearchAdminGroup(SnippetViewSetGroup):
    items = (DictionaryWordViewSet, SynonymGroupViewSet, StopWordViewSet)
    menu_icon = "search"
    menu_label = gettext_lazy("Search")
    menu_name = "search-settings"
    menu_order = 900


register_snippet(SearchAdminGroup)


# --- search site: query report, indexing-failure warning (search/admin_views.py) --------------
from . import admin_views  # noqa: E402,F401
