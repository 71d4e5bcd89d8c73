"""A plugin implementing a hook no spec declares (a misspelt one)."""

from sentryapi.plugins import Plugin

plugin = Plugin(name="fixture_unknownhook", hooks={"organisation_details": lambda organization, member: {}})
