from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_account_menu_item")
def change_password_item(request):
    """Wagtail's own password form is off (its check would be unguarded): link to the site's."""
    return {
        "url": reverse("account_change_password"),
        "label": _("Change password"),
        "help_text": _("Change your password on the site's account page."),
    }
