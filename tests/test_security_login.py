"""The admin login is throttled (django-axes): failures are counted in the database, so
the count holds across processes, and a locked login is refused even with the right password."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from .helpers import database_url, manage_elsewhere

LIMIT = settings.AXES_FAILURE_LIMIT
PASSWORD = "the right password"


@pytest.fixture
def chief(db):
    return User.objects.create_superuser("chief", password=PASSWORD)


def log_in(client, password, username="chief", address="192.0.2.1"):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


def test_wrong_passwords_lock_the_login_even_for_the_right_one(client, chief):
    for attempt in range(LIMIT - 1):
        assert log_in(client, f"guess {attempt}").status_code == 200  # the form again, with its error
    assert log_in(client, "one guess too many").status_code == 429
    assert log_in(client, PASSWORD).status_code == 429
    assert not logged_in(client)


def test_a_locked_username_stays_locked_from_another_address_and_other_users_are_not(client, chief):
    User.objects.create_superuser("deputy", password=PASSWORD)
    for attempt in range(LIMIT):
        log_in(client, f"guess {attempt}", address=f"198.51.100.{attempt}")
    assert log_in(client, PASSWORD, address="203.0.113.9").status_code == 429
    assert log_in(client, PASSWORD, username="deputy", address="203.0.113.9").status_code == 302
    assert logged_in(client)


def test_a_success_before_the_limit_starts_the_count_again(client, chief):
    for attempt in range(LIMIT - 1):
        log_in(client, f"guess {attempt}")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "a new typo").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_failures_made_in_another_process_count_here(client):
    User.objects.create_superuser("chief", password=PASSWORD)
    guesses = (
        "from django.test import Client\n"
        "client = Client()\n"
        f"for attempt in range({LIMIT}):\n"
        "    form = {'username': 'chief', 'password': f'guess {attempt}'}\n"
        "    print(client.post('/admin/login/', form, REMOTE_ADDR='192.0.2.1').status_code)\n"
    )
    result = manage_elsewhere(
        "shell",
        "--verbosity",
        "0",
        "-c",
        guesses,
        DJANGO_SETTINGS_MODULE="config.test_settings",
        DATABASE_URL=database_url(),
        ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200"] * (LIMIT - 1) + ["429"]
    assert log_in(client, PASSWORD).status_code == 429
