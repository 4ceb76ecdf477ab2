"""What organisers do to many entries at once, from the entries listing of the admin
(Wagtail bulk actions, registered in wagtail_hooks.py): rule entries out or back in, download
their files as one ZIP (archive.py), print their award certificates as one PDF
(certificates.py). Judging adds "assign to judges" (competitions/judging/entry_actions.py).
"""
