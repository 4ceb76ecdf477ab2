"""Creates the embedded mode's administrator once and prints how to sign in."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the local administrator (first run only) and print its credentials."

    def handle(self, *args, **options):
        password_file = settings.VAR_DIR / "admin-password.txt"
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(
                username=USERNAME, email="admin@localhost", password=password
            )
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        else:
            stored = password_file.read_text().strip() if password_file.exists() else ""
            password = stored if stored and user.check_password(stored) else None
        self.stdout.write("==> administrator account")
        self.stdout.write(f"    username: {USERNAME}")
        if password:
            self.stdout.write(f"    password: {password}   (kept in {password_file})")
        else:
            self.stdout.write("    password: changed since it was created (not shown)")
