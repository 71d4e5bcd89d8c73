"""The teams and projects alembic branches build exactly the tables the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from sentryapi.testing import build_app

TABLES = {"team", "team_member", "project", "project_team", "project_key", "project_bookmark"}


def _tables(entry) -> set[str]:
    """Table names an autogenerate diff entry mentions (an entry may be a list of changes)."""
    names = set()
    for change in entry if isinstance(entry, list) else [entry]:
        for part in change[1:]:
            if isinstance(part, str):
                names.add(part)
            elif hasattr(part, "table"):  # an index, constraint or column
                names.add(part.table.name)
            elif hasattr(part, "name"):  # a table
                names.add(part.name)
    return names


def test_upgrade_heads_matches_the_models(tmp_path):
    from flask_migrate import upgrade

    from sentryapi.api import db

    app = build_app(f"sqlite:///{tmp_path / 'migrated.sqlite'}", tmp_path)
    with app.app_context():
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            tables = set(db.inspect(connection).get_table_names())
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        db.engine.dispose()
    assert TABLES <= tables
    ours = [entry for entry in diff if _tables(entry) & TABLES]
    assert ours == []
