"""Read-only staff views of personal data, masked by default (DESIGN.md rule 8)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .masking import mask_email, mask_name, mask_phone
from .models import GuardianConsent, Profile


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists records, masked, without any way to open, add, change or delete them."""

    list_display_links = None

    def has_view_permission(self, request, obj=None):
        # The list shows masked values; the detail page would show them in full.
        return obj is None and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["user_id", "masked_display_name", "masked_real_name", "masked_contact"]
    list_filter = ["grade"]
    list_select_related = ["user"]

    @admin.display(description=_("display name"))
    def masked_display_name(self, obj):
        return mask_name(obj.user.display_name)

    @admin.display(description=_("real name"))
    def masked_real_name(self, obj):
        return mask_name(obj.real_name)

    @admin.display(description=_("contact"))
    def masked_contact(self, obj):
        return mask_phone(obj.user.phone) or mask_email(obj.user.email)


@admin.register(GuardianConsent)
class GuardianConsentAdmin(ReadOnlyAdmin):
    list_display = [
        "child_id",
        "decision",
        "scope",
        "policy_version",
        "decided_at",
        "masked_guardian_phone",
    ]
    list_filter = ["decision", "scope", "policy_version"]

    @admin.display(description=_("guardian's phone number"))
    def masked_guardian_phone(self, obj):
        return mask_phone(obj.guardian_phone)
