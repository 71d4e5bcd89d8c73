"""A plugin requiring one that is not installed."""

from sentryapi.plugins import Plugin

plugin = Plugin(name="fixture_needs", requires=("fixture_absent",))
