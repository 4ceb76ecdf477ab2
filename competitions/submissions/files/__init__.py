"""The files of contest entries: receiving uploads (uploads.py), checking them in a worker
(checks.py, with the bounded child of inspection.py and pdf_text.py), who may fetch them
(access.py), the links handed out for them (links.py) and serving their bytes (serving.py)."""
