"""A person's notifications in their data export (deleting the account deletes them)."""

from accounts.exports import ExportSection

from .models import Notification


def export_notifications(user) -> ExportSection | None:
    rows = [
        {
            "channel": notification.channel,
            "kind": notification.kind,
            "text": notification.text,
            "status": notification.status,
            "created_at": notification.created_at,
            "sent_at": notification.sent_at,
        }
        for notification in Notification.objects.filter(user=user).order_by("created_at", "pk")
    ]
    return ExportSection("notifications", rows) if rows else None
