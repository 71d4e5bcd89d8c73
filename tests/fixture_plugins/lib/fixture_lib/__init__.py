"""A plugin other fixture plugins build on: ``helpers`` is public, ``internal`` is not."""

from sentryapi.plugins import Plugin

from . import helpers

__all__ = ["helpers", "plugin"]

plugin = Plugin(name="fixture_lib")
