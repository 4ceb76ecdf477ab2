from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "target", "created_at", "dispatched_at", "completed_at", "failed_at"]
    list_filter = ["completed_at", "failed_at"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    search_fields = ["target"]
