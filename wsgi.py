"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi run``."""

import sys

from sentryapi import create_app
from sentryapi.config import ConfigError
from sentryapi.plugins import PluginError

try:
    app = create_app()
except (ConfigError, PluginError) as error:
    # One clear line for the operator instead of a traceback.
    sys.exit(f"sentryapi: {error}")
