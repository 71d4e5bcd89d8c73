"""A second distribution claiming the name fixture_good."""

from sentryapi.plugins import Plugin

plugin = Plugin(name="fixture_good")
