"""Firing a declared hook (``sentryapi.hookspecs``) from a request (the registry lives on the app)."""

from __future__ import annotations

from flask import current_app


def call_hook(name: str, *args, **kwargs) -> list:
    """Answers of every loaded plugin implementing hook ``name``, in load order (``None``
    answers left out; ``[]`` if none implements it); a name without a spec raises
    ``sentryapi.plugins.UnknownHook``."""
    return current_app.extensions["sentryapi.plugins"].call(name, *args, **kwargs)
