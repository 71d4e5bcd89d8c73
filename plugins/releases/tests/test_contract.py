"""The releases plugin keeps the plugin contract (the check an author runs on a plugin)."""


def test_releases_keeps_the_plugin_contract(plugin_contract):
    plugin_contract("releases")
