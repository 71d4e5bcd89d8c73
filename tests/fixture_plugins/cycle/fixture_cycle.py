"""Two plugins that require each other."""

from sentryapi.plugins import Plugin

plugin_a = Plugin(name="fixture_cycle_a", requires=("fixture_cycle_b",))
plugin_b = Plugin(name="fixture_cycle_b", requires=("fixture_cycle_a",))
