"""Transactional outbox: side effects recorded with the data, delivered to Celery after commit.

Work that must happen after a commit (indexing, notifications, certificates, transcoding) is
written to `OutboxMessage` inside the caller's transaction, so it exists exactly when the data
does. After the commit it is handed to Celery; if the broker is down, the periodic relay
hands it over later. Delivery is at least once: jobs (jobs.py, by name) must be idempotent.
"""
