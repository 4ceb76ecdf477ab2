"""Reach (传播): how pages travel beyond the site, and how far.

- models.py: `Poster` (a printed poster with its short link), `PosterScan`, `PageViewCount`;
- shortlinks.py: creating posters and recording their scans; posters.py: the A4 poster
  (PNG/PDF) and the drawing helpers other printed things reuse; qr.py: QR codes;
- view_counts.py: page views counted in the cache and flushed to the database (tasks.py);
- views.py and urls.py: the short link (/s/<code>), page QR codes and the view beacon;
- viewsets.py: the Wagtail admin's per-page posters view and the poster scans report
  (registered in content/wagtail_hooks.py).
"""
