"""How fast the projects plugin answers what ingestion and clients ask most.

Prints: DSN key lookups per second (``find_ingest_key``, hits and misses), and the time
to serve one page (100) of an organization's projects and of a project's keys through
the whole app (auth, query, serialization). SQLite by default; pass a database URL to
measure PostgreSQL:

    .venv/bin/python bench/project_keys.py [postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import os
import platform
import secrets
import statistics
import sys
import tempfile
import time

PROJECTS = 500
LOOKUPS = 5000
PAGES = 30


def main(database_url: str | None) -> None:
    workdir = tempfile.mkdtemp(prefix="sentryapi-bench-")
    os.environ["SENTRYAPI_INSTANCE_PATH"] = workdir
    from sentryapi_projects import Project, ProjectKey, ProjectTeam, find_ingest_key
    from sentryapi_projects.keys import new_key
    from sentryapi_teams import Team, TeamMember

    from sentryapi import create_app
    from sentryapi.api import db
    from sentryapi.organizations import services

    url = database_url or f"sqlite:///{workdir}/bench.sqlite"
    schema = None
    if url.startswith("postgresql"):
        schema = f"bench_{secrets.token_hex(4)}"
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        if schema:
            with db.engine.begin() as connection:
                connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        db.create_all()
        user = services.create_user("bench@example.com")
        organization = services.create_organization("Bench", user)
        _, token = services.issue_user_token(user, ["org:read", "project:read"])
        team = Team(organization_id=organization.id, slug="bench", name="Bench")
        db.session.add(team)
        db.session.flush()
        member_id = db.session.scalar(db.select(services.OrganizationMember.id))
        db.session.add(TeamMember(team_id=team.id, member_id=member_id))
        for n in range(PROJECTS):
            project = Project(organization_id=organization.id, slug=f"p-{n:04d}", name=f"P {n}")
            db.session.add(project)
            db.session.flush()
            db.session.add_all([ProjectTeam(project_id=project.id, team_id=team.id),
                                new_key(project.id, "Default")])
        db.session.commit()
        keys = list(db.session.scalars(db.select(ProjectKey.public_key)))
        misses = [secrets.token_hex(16) for _ in range(100)]
        org_slug = organization.slug

        def rate(candidates) -> float:
            start = time.perf_counter()
            for n in range(LOOKUPS):
                find_ingest_key(candidates[n % len(candidates)])
            return LOOKUPS / (time.perf_counter() - start)

        hits, missed = rate(keys), rate(misses)

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def page_ms(path: str) -> tuple[float, float]:
        client.get(path, headers=headers)
        times = []
        for _ in range(PAGES):
            start = time.perf_counter()
            response = client.get(path, headers=headers)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.json
        return statistics.median(times), max(times)

    projects = page_ms(f"/api/0/organizations/{org_slug}/projects/")
    key_page = page_ms(f"/api/0/organizations/{org_slug}/project-keys/")
    print(f"machine: {platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}, "
          f"{url.split(':')[0]}")
    print(f"find_ingest_key: {hits:,.0f} hits/s, {missed:,.0f} misses/s ({LOOKUPS} lookups each)")
    print(f"GET organization projects (100 of {PROJECTS}): median {projects[0]:.1f} ms, max {projects[1]:.1f} ms")
    print(f"GET organization project-keys (100 of {PROJECTS}): median {key_page[0]:.1f} ms, "
          f"max {key_page[1]:.1f} ms")
    if schema:
        with app.app_context(), db.engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
