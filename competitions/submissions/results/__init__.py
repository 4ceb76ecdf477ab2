"""A contest's results: awards computed from the judging and voting figures (awards.py, with
the figures registered in sources.py), their publication, award certificates and the
winners' notifications, the public results and exhibition pages, the organisers' results
desk (viewsets.py) and the .xlsx exports."""
