"""sentryapi: a self-hostable, Sentry-compatible REST API server."""

__version__ = "0.1.0"


def create_app(overrides=None):
    """Build the Flask application (see :func:`sentryapi.app.create_app`)."""
    from .app import create_app as _create_app

    return _create_app(overrides)
