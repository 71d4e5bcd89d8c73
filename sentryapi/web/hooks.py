"""Calling other plugins' hooks from a request (the registry lives on the app)."""

from __future__ import annotations

from flask import current_app


def call_hook(name: str, *args, **kwargs) -> list:
    """Results of every loaded plugin's ``name`` hook, in load order (``[]`` if none has it)."""
    return current_app.extensions["sentryapi.plugins"].call(name, *args, **kwargs)
