"""Create the local development superuser once, with a random password printed once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    requires_system_checks = []  # data work: the feed readiness warnings are `check`'s, not every import's
    help = "Create a local superuser with a random password (printed once); do nothing if it exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        users = get_user_model().objects
        if users.filter(username=username).exists():
            self.stdout.write(f"Admin user {username!r} exists; change its password with: manage.py changepassword {username}")
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Created admin user {username!r} with password: {password}"))
        self.stdout.write("It is shown only this once.")
