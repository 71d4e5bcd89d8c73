"""The tenant-isolation check (OWASP API1), for sentryapi's suite and any plugin's own.

Two organizations own one of every object the API names (made by the probes,
``sentryapi.probes``). The attacker calls each operation with the victim's objects in
its URL, in every combination with its own, and must get exactly what a missing object
gets (the same status and body; 404 for a caller with every scope). Its reads are the
same before and after the victim's objects exist (no foreign rows), and no database
row changes from all those calls.

A plugin runs it on its own routes with the ``tenant_isolation`` fixture::

    def test_tenant_isolation(tenant_isolation):
        tenant_isolation("widgets")
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from .probes import (
    ORG_ARG,
    PROBES,
    ProbeContext,
    api_operations,
    arguments,
    fill,
    make_all,
    object_args,
    readable,
    request_body,
    rule_args,
)

#: Columns that change on every authenticated call (a token's last use), not by a write.
VOLATILE_COLUMNS = {"last_used_at"}
#: What the webhook delivery worker writes on its own schedule (attempts, retries, a hook's
#: failure streak), not requests: a probe's test ping may be retried during a comparison.
#: New outbox rows (a ping or redelivery that got through) still count as changes.
BACKGROUND_COLUMNS = {
    "webhook_outbox": {"status", "attempts", "due_at", "enqueued_at", "locked_until",
                       "date_delivered"},
    "service_hook": {"consecutive_failures", "failing_since"},
}
BACKGROUND_TABLES = {"webhook_attempt"}
#: Response fields that move with the clock, not with other tenants (last use, hourly stats).
VOLATILE_FIELDS = {"dateLastUsed", "stats"}
HEX32 = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Findings:
    operations: int = 0
    calls: int = 0
    reads: int = 0
    tables: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.operations} operations, {self.calls} cross-tenant calls (owner and narrow "
                f"token), {len(self.problems)} differ from a missing object; {self.tables} tables "
                f"checked for changes; {self.reads} reads compared for foreign rows")


def missing_value(arg: str, theirs: str) -> str:
    """A value of the same shape as ``theirs`` that names nothing."""
    if arg == ORG_ARG:
        return "no-such-organization"
    if theirs.isdigit():
        return "987654321"
    if HEX32.match(theirs):
        return "f" * 32
    return f"no-such-{arg.replace('_', '-')}"


def stable(value):
    """``value`` without the fields that change with time alone."""
    if isinstance(value, dict):
        return {k: stable(v) for k, v in value.items() if k not in VOLATILE_FIELDS}
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    return value


def database_rows(app) -> dict[str, list]:
    """Every table's rows (but the volatile columns), for a before/after comparison."""
    from .extensions import db

    rows = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in BACKGROUND_TABLES:
                continue
            skipped = VOLATILE_COLUMNS | BACKGROUND_COLUMNS.get(table.name, set())
            columns = [c for c in table.columns if c.name not in skipped]
            result = db.session.execute(select(*columns)).all()
            rows[table.name] = sorted(repr(tuple(row)) for row in result)
        db.session.rollback()
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after.get(name)]


def foreign_variants(rule: str, ours: dict, theirs: dict):
    """(which arguments are the victim's, path with them, path with missing values instead)."""
    swappable = [ORG_ARG, *object_args(rule)] if ORG_ARG in rule_args(rule) else object_args(rule)
    for size in range(1, len(swappable) + 1):
        for chosen in itertools.combinations(swappable, size):
            foreign = {**ours, **{a: theirs[a] for a in chosen}}
            missing = {**ours, **{a: missing_value(a, str(theirs[a])) for a in chosen}}
            yield chosen, fill(rule, foreign), fill(rule, missing)


def probed_operations(app, rules=None) -> list[tuple[str, str]]:
    """``(rule, method)`` of the operations naming an object (or probed), within ``rules``."""
    return [(rule, method) for rule, method, _cls in api_operations(app)
            if (object_args(rule) or rule in PROBES) and (rules is None or rule in rules)]


def cross_tenant_calls(app, api, ours: ProbeContext, theirs: ProbeContext, operations, *,
                       must_be_404: bool, findings: Findings) -> None:
    """Each operation with the victim's arguments vs missing ones, as ``api``'s caller."""
    for rule, method in operations:
        our_args, their_args = arguments(ours, rule), arguments(theirs, rule)
        body = PROBES[rule].body(method, ours) if rule in PROBES else {}
        for chosen, foreign_path, missing_path in foreign_variants(rule, our_args, their_args):
            foreign = api.request(method, foreign_path, **request_body(body))
            missing = api.request(method, missing_path, **request_body(body))
            findings.calls += 1
            same = (foreign.status_code, foreign.get_json(silent=True)) == (
                missing.status_code, missing.get_json(silent=True))
            if not same or (must_be_404 and foreign.status_code != 404):
                findings.problems.append(
                    f"{method} {rule} with the victim's {', '.join(chosen)}: {foreign.status_code} "
                    f"{foreign.get_data(as_text=True)[:200]} (a missing one: {missing.status_code} "
                    f"{missing.get_data(as_text=True)[:200]})")


def check(app, ours: ProbeContext, theirs: ProbeContext, narrow_api, rules=None) -> Findings:
    """Run the whole check; ``narrow_api`` is the attacker with a token short of most scopes.

    ``rules`` limits it to some routes (a plugin's); objects are made for every probed route
    either way, since one plugin's objects hang on another's.
    """
    findings = Findings()
    make_all(ours, app)
    our_view = stable(readable(app, ours))
    make_all(theirs, app)
    if stable(readable(app, ours)) != our_view:
        findings.problems.append("the victim's objects show in the attacker's reads")
    findings.reads = len(our_view)
    operations = probed_operations(app, rules)
    findings.operations = len(operations)
    before = database_rows(app)
    findings.tables = len(before)
    cross_tenant_calls(app, ours.api.unchecked(), ours, theirs, operations, must_be_404=True,
                       findings=findings)
    # A 403 for one and a 404 for the other would tell a foreign object from none.
    cross_tenant_calls(app, narrow_api, ours, theirs, operations, must_be_404=False,
                       findings=findings)
    changed = changed_tables(before, database_rows(app))
    if changed:
        findings.problems.append(f"the foreign calls changed rows of {', '.join(changed)}")
    return findings
