"""The public API's changelog: what one published document adds, deprecates and removes
against another (``flask openapi changelog OLD.json NEW.json``), and the deprecations the
released sections of ``CHANGELOG.md`` announced (which the breaking-change check needs
before a deprecated part may go)."""

from __future__ import annotations

import re

from .compat import Report

DEPRECATED_HEADING = "### Deprecated"
UNRELEASED = "unreleased"


def render(report: Report) -> str:
    """Markdown sections for one release's public API changes ("" when nothing changed)."""
    sections = [("### Added", report.additions), (DEPRECATED_HEADING, report.deprecations),
                ("### Removed", report.removals), ("### Breaking", report.breaks)]
    out = []
    for heading, items in sections:
        if items:
            out += [heading, "", *(f"- {item}" for item in items), ""]
    return "\n".join(out)


def announced_deprecations(changelog: str) -> frozenset[str]:
    """The parts listed under ``### Deprecated`` in a released version's section
    (``## 1.2.0 ...``; not ``## Unreleased``), as ``compat.compare`` names them."""
    announced, released, in_deprecated = set(), False, False
    for line in changelog.splitlines():
        if line.startswith("## "):
            released = not line[3:].strip().lower().startswith(UNRELEASED)
            in_deprecated = False
        elif line.startswith("### "):
            in_deprecated = line.strip() == DEPRECATED_HEADING
        elif released and in_deprecated and line.startswith("- "):
            announced.add(re.split(" \u2014 ", line[2:], maxsplit=1)[0].strip())
    return frozenset(announced)
