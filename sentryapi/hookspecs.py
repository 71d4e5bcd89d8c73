"""Every hook a plugin may implement or fire: one pluggy spec each, its arguments and what it answers.

A plugin implements hooks with ``Plugin.hooks = {"name": function}``; the function's
parameters must be named as the spec's (a subset of them, in any order, without defaults:
pluggy passes arguments by name). A hook not declared here, or a parameter the spec does
not have, stops start-up naming the plugin and the hook. Hooks are fired with
``call_hook(name, *args)``, which refuses a name without a spec, and answer with a list
of the implementations' results in load order (``None`` answers are left out).

The first paragraph of each docstring is the hook's row in ``docs/plugins.md``
(``flask sentryapi hooks --markdown`` prints the table; a test keeps the two equal).
"""

from __future__ import annotations

import pluggy

PROJECT_NAME = "sentryapi"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)


# Fired by the core.


@hookspec
def cleanup_expired(now, default_days, dry_run, progress):
    """Delete (or with `dry_run` only count) what is older than its retention: `default_days` (`SENTRYAPI_EVENT_RETENTION_DAYS`) unless a project overrides it; commits its own batches (the one hook that does); call `progress(n)` as `n` more are deleted. Answer `{"events": n, "issues": m, ...}` (`flask sentryapi cleanup`, and hourly on the scheduler)."""


@hookspec
def organization_details(organization, member):
    """A dict merged into the detailed organization (`teams`, `projects`); `member` is `None` for an organization token."""


@hookspec
def organization_features(organization):
    """Feature flag names added to the organization's `features`."""


@hookspec
def member_teams(member):
    """Team slugs for a member's `teams` and `teamRoles`."""


@hookspec
def set_member_teams(member, team_roles):
    """Truthy if it stored the member's `teamRoles` (`[{"teamSlug", "role"}]`; raise `ValidationFailed` for a bad one)."""


@hookspec
def record_outcomes(records):
    """Store what became of ingested items: `OutcomeRecord`s (`outcome`, `category`, `quantity`, `times_seen`, organization, project, key, `reason`, `timestamp`), reported at most once a second and stamped with their 10-second bucket. Answer how many counters changed."""


@hookspec
def find_project(organization, project_id_or_slug):
    """`(project, [team ids holding it])` for an active project of the organization, or `None`: how `ProjectEndpoint` finds the project it checks (the projects plugin answers)."""


@hookspec
def member_team_roles(member):
    """`{team_id: team role or None}` for every team the member is on: how `Caller` decides team-scoped access (the teams plugin answers)."""


@hookspec
def organization_initialized(organization, member, created):
    """`flask sentryapi init` made the first organization: add what a newcomer needs to the dict `created` (teams: its first team as `"team"`; projects: a first project and its DSN as `"project"`, `"dsn"`); add rows, do not commit."""


@hookspec
def ui_widgets():
    """Dashboard widgets the plugin ships for the web UI: a list of `{"id", "title", "module"}`, `module` the path of an ES module file exporting `render(element, context)` (served at `/ui/widgets/<id>.js`; see "Dashboard widgets" in `docs/plugins.md`)."""


@hookspec
def fuzz_seed(organization, member):
    """Objects for the API fuzzing tests: create some in `organization` and answer the path parameters naming them (`{"team_id_or_slug": "12"}`)."""


# Fired by the bundled plugins.


@hookspec
def team_projects(teams, caller):
    """teams: `{team_id: [project, ...]}`, each team's projects as `caller` (a `Caller`) sees them, for team responses."""


@hookspec
def project_deleted(project_id):
    """projects, before deleting a project: remove rows that cannot cascade from `project.id`."""


@hookspec
def project_latest_releases(project_ids):
    """projects: `{project_id: {"version": ...}}`, each project's newest release, for `latestRelease`."""


@hookspec
def release_created(release):
    """releases, in the transaction that created a release (no commit)."""


@hookspec
def release_updated(release):
    """releases, in the transaction that changed a release (no commit)."""


@hookspec
def deploy_created(release, deploy):
    """releases, in the transaction that recorded a deploy of a release (no commit)."""


@hookspec
def release_in_use(release):
    """releases, before deleting a release: truthy refuses it (issues were first seen in it)."""


@hookspec
def release_deleted(release):
    """releases, in the transaction deleting a release, before its row goes: remove what belongs to it that cannot cascade from `release.id` (no commit)."""


@hookspec
def events_stored(events, new_group_ids):
    """events, once per stored batch: `events` are dicts with `organization_id`, `project_id`, `group_id`, `release`, `environment`, `timestamp`, `event_id`, `level`, `tags` (`[[key, value], ...]`); `new_group_ids` the issues the batch created."""


@hookspec
def resolve_in_release(organization_id, groups, details):
    """events, resolving issues (`{group_id: project_id}`) in a release or the next one: the `statusDetails` to keep, or `None` if not yours (raise 400 for an unknown release)."""


@hookspec
def issues_reopened(group_ids):
    """events: these issues left the resolved state (forget their resolutions)."""


@hookspec
def issue_counter_resolutions(project_ids):
    """events' digest, once per stored batch, after `events_stored`: counters finer than an hour the batch's issues need, `{project_id: (seconds, ...)}` (alert rules' short frequency intervals: `(60,)`); they are added to the issue counts (`GroupStat`) in the same statement and kept two hours."""


@hookspec
def resolutions_holding(candidates):
    """events: of `{group_id: [release versions of new events]}`, the ids of the issues that stay resolved (their resolution is in a later release)."""


# Cron monitors (the monitors plugin answers the first; the events plugin the others).


@hookspec
def envelope_items(key, items, received):
    """events, at ingest: an accepted envelope's items it does not store itself (`check_in`...), after quotas; `key` has `organization_id`, `project_id`, `key_id`; each item `.type`, `.headers`, `.payload` (bytes). Take yours (add rows, no commit: the events plugin commits)."""


@hookspec
def capture_event(project_id, event):
    """Store an event another plugin made (a cron monitor's failure) as if an SDK had sent it (`event` a dict with `event_id`, `fingerprint`...): the events plugin queues it for grouping and issue webhooks. No commit. Answer its event id."""


@hookspec
def resolve_fingerprint(project_id, fingerprint):
    """Resolve the unresolved issue that events with this `fingerprint` (a list of strings) go to, with its `issue.resolved` webhook (no commit). Answer its id, or `None` when there is none."""


@hookspec
def rewrite_stack_frames(event, sent, project_id, organization_id):
    """events' digest, once per event before it is grouped: rewrite its stack frames in place (source maps: `event` is the normalized event, `sent` the payload as the SDK sent it, e.g. its `debug_meta`) and add processing problems to `event["errors"]`; truthy if frames changed (the digest then derives title, culprit and grouping from them). Runs inside the digest: keep its cost bounded, fetch nothing remote."""
