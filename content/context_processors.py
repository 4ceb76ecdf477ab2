from django.utils.functional import SimpleLazyObject

from .navigation import menu_items


def navigation(request):
    return {"nav_pages": SimpleLazyObject(lambda: menu_items(request))}
