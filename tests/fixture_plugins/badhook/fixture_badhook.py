"""A plugin implementing a declared hook with an argument its spec does not have."""

from sentryapi.plugins import Plugin


def member_teams(member, organization):
    return []


plugin = Plugin(name="fixture_badhook", hooks={"member_teams": member_teams})
