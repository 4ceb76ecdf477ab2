"""The benchmark's ceiling: the cheapest view the full middleware stack can serve.

Mounted at /bench/ceiling/ only when KEPU_BENCH_CEILING is on (kepu/urls.py). Every other
figure of the benchmark is also reported as a fraction of this one's requests per second.
"""

from django.http import HttpResponse


def ceiling(request):
    return HttpResponse(b"ok", content_type="text/plain")
