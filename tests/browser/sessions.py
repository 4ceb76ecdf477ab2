"""Signing a browser in as a user without going through the sign-in pages."""

from django.conf import settings
from django.test import Client


def sign_in(page, user, base_url):
    """Give the browser `user`'s session cookie (made with the test client)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
