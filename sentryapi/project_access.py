"""The project-access matrix: every project-scoped operation, as every kind of caller.

Generated from the route map, like the tenant-isolation check (``sentryapi.isolation``):
every operation whose view is a ``ProjectEndpoint`` (a path naming a project or an issue)
of every installed plugin is called, with open membership off and on, as the owner, a
manager, an admin and a member each on the project's team and on no team, an
organization token, and an OAuth token narrowed to read scopes. The expected answer is
computed here from Sentry's rules, independently of ``sentryapi.access``:

- the token must carry one of the method's scopes (``org:ci`` counts as ``org:read`` and
  ``project:releases``), else 403; then a project that does not exist is 404;
- the project is in reach with global access (owner, manager, organization token, or open
  membership) or by being on one of its teams, else 403;
- the scope must then be held through the role (within the token) or through the team
  role on the project's team (Team Admin for admins, Contributor for members), else 403.

Refused calls must change no row; allowed ones must succeed (2xx). Allowed deletions get
fresh objects, so every caller meets an existing object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .extensions import db
from .isolation import changed_tables, database_rows
from .oauth import services as oauth
from .probes import (
    ORG_ARG,
    PROBES,
    ProbeContext,
    api_operations,
    arguments,
    fill,
    request_body,
    rule_args,
)
from .tenants.models import Organization

PROJECT_ARGS = ("project_id_or_slug", "issue_id")
MISSING = {"project_id_or_slug": "no-such-project", "issue_id": "987654321"}
#: Sentry's role scopes and team roles, restated (the expectation must not reuse the code
#: under test): what each organization role holds, and what a team role adds on its team.
MEMBER = {"event:read", "event:write", "event:admin", "project:releases", "project:read",
          "org:read", "member:read", "team:read", "alerts:read", "alerts:write"}
ADMIN = MEMBER | {"project:write", "project:admin", "team:write", "team:admin", "org:integrations"}
MANAGER = ADMIN | {"member:write", "member:admin", "member:invite", "org:write"}
OWNER = MANAGER | {"org:admin", "project:distribution"}
ROLE_SCOPES = {"member": MEMBER, "admin": ADMIN, "manager": MANAGER, "owner": OWNER}
TEAM_ROLE_SCOPES = {"member": MEMBER, "admin": MEMBER | {"project:write", "project:admin",
                                                          "team:write", "team:admin"}}
ORG_TOKEN_SCOPES = {"org:ci", "org:read", "project:releases"}
OAUTH_SCOPES = ("org:read", "project:read", "event:read")


@dataclass(frozen=True)
class Kind:
    """A kind of caller: ``role`` (``None``: an organization token), on the team or not,
    and the token's scopes (``None``: every scope a user token may have)."""

    name: str
    role: str | None
    on_team: bool = False
    token_scopes: frozenset[str] | None = None

    def scopes(self) -> frozenset[str]:
        return frozenset(OWNER if self.token_scopes is None else self.token_scopes)

    def expected(self, required, open_membership: bool, exists: bool = True, *,
                 route_scopes=None, names_organization: bool = True) -> str:
        """``allowed``, ``403`` or ``404`` by Sentry's rules. ``route_scopes`` is the method's
        scope map when the view checks ``required`` further on (after finding the object)."""
        token = self.scopes()
        if not exists and not names_organization:
            return "404"  # a legacy path finds the organization through the missing object
        gate = required if route_scopes is None else route_scopes
        if gate and not token & set(gate):
            return "403"
        if not exists:
            return "404"
        if self.role is None:  # an organization token: global access, its own scopes
            return "allowed" if not required or token & set(required) else "403"
        is_global = self.role in ("owner", "manager") or open_membership
        if not (is_global or self.on_team):
            return "403"
        if not required or token & ROLE_SCOPES[self.role] & set(required):
            return "allowed"
        if self.on_team and token & TEAM_ROLE_SCOPES[self.role] & set(required):
            return "allowed"
        return "403"


KINDS = (
    Kind("owner", "owner"),
    Kind("manager", "manager"),
    Kind("admin on the team", "admin", on_team=True),
    Kind("admin on no team", "admin"),
    Kind("member on the team", "member", on_team=True),
    Kind("member on no team", "member"),
    Kind("organization token", None, token_scopes=frozenset(ORG_TOKEN_SCOPES)),
    Kind("OAuth token with read scopes (owner)", "owner", token_scopes=frozenset(OAUTH_SCOPES)),
)


@dataclass
class Findings:
    operations: int = 0
    calls: int = 0
    refused: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.operations} project-scoped operations x {len(KINDS)} callers x open "
                f"membership on/off: {self.calls} calls ({self.refused} refused), "
                f"{len(self.problems)} answers not Sentry's")


@dataclass(frozen=True)
class Operation:
    rule: str
    method: str
    route_scopes: tuple[str, ...]  # the method's scope map
    required: tuple[str, ...]  # what the call with the probe's body takes on the project

    def expected(self, kind: Kind, open_membership: bool, exists: bool = True) -> str:
        return kind.expected(self.required, open_membership, exists,
                             route_scopes=self.route_scopes,
                             names_organization=ORG_ARG in rule_args(self.rule))


def project_operations(app, rules=None) -> list[Operation]:
    """Every project-scoped operation (of ``rules`` only, when given)."""
    found = []
    for rule, method, cls in api_operations(app):
        if getattr(cls, "checks_project", False) and set(PROJECT_ARGS) & set(rule_args(rule)):
            if rules is None or rule in rules:
                route_scopes = tuple(cls.scope_map.get(method, ()))
                extra = PROBES[rule].requires.get(method) if rule in PROBES else None
                found.append(Operation(rule, method, route_scopes, tuple(extra or route_scopes)))
    return found


class Matrix:
    """One organization, its objects (made by the probes as the owner), and its callers."""

    def __init__(self, app, make_actor, make_token, owner):
        self.app, self.owner = app, owner
        self.ctx = ProbeContext(app, owner)
        self.callers = {}
        self.on_team_members: list[int] = []
        for kind in KINDS:
            if kind.role is None:
                token = make_token(organization=owner.organization)
            elif kind.token_scopes is not None:
                with app.app_context():
                    user = db.session.merge(owner.user)
                    application, _ = oauth.create_application(user, name="Matrix")
                    authorization = oauth.approve(user, application, kind.token_scopes)
                    token, refresh = oauth.new_token_pair()
                    oauth.issue_token(authorization.id, user, kind.token_scopes, access_token=token,
                                      refresh_token=refresh, expires_in=3600, name="matrix")
                    db.session.commit()
            elif kind.role == "owner":
                token = owner.token
            else:
                actor = make_actor(kind.role, organization=owner.organization)
                token = actor.token
                if kind.on_team:
                    self.on_team_members.append(actor.member.id)
            self.callers[kind] = owner.api.as_(token).unchecked()
        self.joined: dict[int, set[str]] = {member_id: set() for member_id in self.on_team_members}

    def set_open_membership(self, value: bool) -> None:
        with self.app.app_context():
            row = db.session.get(Organization, self.owner.organization.id)
            row.options = {**(row.options or {}), "openMembership": value}
            db.session.commit()

    def arguments(self, rule: str) -> dict:
        made = len(self.ctx.made)
        args = arguments(self.ctx, rule)
        if len(self.ctx.made) != made:
            self.join_teams()  # new objects may hang on new teams
        return args

    def join_teams(self) -> None:
        """Put the callers "on the team" on every team (the probes' projects' teams)."""
        api, org = self.owner.api.unchecked(), self.owner.org
        teams = [t["slug"] for t in api.get(
            f"/api/0/organizations/{org}/teams/?per_page=100&detailed=0").json]
        for member_id in self.on_team_members:
            for team in set(teams) - self.joined[member_id]:
                api.post(f"/api/0/organizations/{org}/members/{member_id}/teams/{team}/")
                self.joined[member_id].add(team)

    def fresh(self) -> None:
        """Forget the objects made so far: the next call gets new ones."""
        self.ctx.made.clear()


def run(app, make_actor, make_token, owner, rules=None) -> Findings:
    """The whole matrix; ``rules`` limits it to some routes (a plugin's)."""
    matrix = Matrix(app, make_actor, make_token, owner)
    operations = project_operations(app, rules)
    findings = Findings(operations=len(operations))
    for open_membership in (False, True):
        matrix.set_open_membership(open_membership)
        _refused_and_missing(matrix, operations, open_membership, findings)
        _allowed(matrix, operations, open_membership, findings)
    return findings


def _call(matrix: Matrix, kind: Kind, method: str, rule: str, args: dict):
    body = PROBES[rule].body(method, matrix.ctx) if rule in PROBES else {}
    return matrix.callers[kind].request(method, fill(rule, args), **request_body(body))


def _refused_and_missing(matrix, operations, open_membership, findings) -> None:
    """Every refusal, and every missing project or issue, with no row changed by them."""
    args_of = {op.rule: matrix.arguments(op.rule) for op in operations}
    before = database_rows(matrix.app)
    for op in operations:
        rule, method = op.rule, op.method
        for kind in KINDS:
            for exists in (True, False):
                expected = op.expected(kind, open_membership, exists)
                if expected == "allowed":
                    continue
                args = dict(args_of[rule])
                if not exists:
                    for arg in PROJECT_ARGS:
                        if arg in args:
                            args[arg] = MISSING[arg]
                response = _call(matrix, kind, method, rule, args)
                findings.calls += 1
                findings.refused += 1
                if str(response.status_code) != expected:
                    findings.problems.append(
                        f"{method} {rule} as {kind.name} (open membership {open_membership}, "
                        f"{'existing' if exists else 'missing'}): {response.status_code}, "
                        f"expected {expected}: {response.get_data(as_text=True)[:160]}")
    changed = changed_tables(before, database_rows(matrix.app))
    if changed:
        findings.problems.append(f"refused calls (open membership {open_membership}) changed "
                                 f"rows of {', '.join(changed)}")


def _allowed(matrix, operations, open_membership, findings) -> None:
    """Every allowed call succeeds; a deletion gets objects of its own."""
    ordered = sorted(operations, key=lambda op: op.method == "DELETE")  # reads and writes first
    for op in ordered:
        rule, method = op.rule, op.method
        authored = rule in PROBES and method in PROBES[rule].authored
        for kind in KINDS:
            if op.expected(kind, open_membership) != "allowed":
                continue
            if authored and not (kind.role == "owner" and kind.token_scopes is None):
                continue  # the owner made it; for anyone else it does not exist (404)
            if method == "DELETE":
                matrix.fresh()
            response = _call(matrix, kind, method, rule, matrix.arguments(rule))
            findings.calls += 1
            if not 200 <= response.status_code < 300:
                findings.problems.append(
                    f"{method} {rule} as {kind.name} (open membership {open_membership}): "
                    f"{response.status_code}, expected success: "
                    f"{response.get_data(as_text=True)[:160]}")
    matrix.fresh()


__all__ = ["KINDS", "Findings", "Kind", "Operation", "project_operations", "run"]
