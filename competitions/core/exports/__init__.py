"""Organisers' exports built in the background: what every kind of export shares.

A quiz's attempts and participants (competitions/quizzes/statistics/exports.py) and a
contest's entries and results (competitions/submissions/results/exports.py) go the same way:
the organiser asks, a row records the request and the outbox builds the file after the
commit; the file waits in private storage until someone allowed to have it downloads it, and
old ones may be deleted. `models.ExportJob` holds the row's shared fields,
`services.ExportLifecycle` those steps and `downloads` the download view and file names;
each app keeps what it exports, who may ask and download, and its URLs.
"""
