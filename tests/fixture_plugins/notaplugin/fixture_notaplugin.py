"""An entry point that is not a Plugin."""

plugin = {"name": "fixture_notaplugin"}
