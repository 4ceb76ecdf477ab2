"""Contest administration in Wagtail: each concept's admin module is imported here."""
