#!/usr/bin/env python
import os
import secrets
import sys
from pathlib import Path

import environ

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A command (migrate, import, export, audit) runs in its own process and signs nothing
    # that outlives it: without a SECRET_KEY in the environment or .env it gets a throwaway
    # one. The web server (config/wsgi.py) still refuses to start without a real key.
    environ.Env.read_env(Path(__file__).resolve().parent / ".env")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
