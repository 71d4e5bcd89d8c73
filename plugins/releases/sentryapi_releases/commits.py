"""A release's commits and refs, stored as clients send them (nothing is fetched).

``commits`` lists the release's commits, newest first, and replaces what was stored;
``refs`` name each repository's head commit (and the previous release's). Repositories
and authors are created by name and e-mail the first time they are mentioned.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select

from sentryapi.api import db, utcnow

from .models import (
    Commit,
    CommitAuthor,
    Release,
    ReleaseCommit,
    ReleaseHeadCommit,
    Repository,
)
from .upsert import insert_ignore

AUTHOR_EMAIL_MAX = 200


def default_repository(organization_id: int) -> str:
    """Where commits that name no repository go (Sentry's name for it)."""
    return f"organization-{organization_id}"


def repositories(organization_id: int, names: set[str]) -> dict[str, int]:
    """Repository name -> id, creating the missing ones."""
    now = utcnow()
    insert_ignore(Repository, [{"organization_id": organization_id, "name": name, "date_created": now}
                               for name in sorted(names)], ("organization_id", "name"))
    return dict(db.session.execute(select(Repository.name, Repository.id).where(
        Repository.organization_id == organization_id, Repository.name.in_(names))).all())


def author_email(commit: dict) -> str | None:
    """The author's e-mail; a name alone becomes ``name@localhost``, as Sentry does."""
    email = commit.get("author_email")
    if not email and commit.get("author_name"):
        email = re.sub(r"[^a-zA-Z0-9\-_.]*", "", commit["author_name"]).lower() + "@localhost"
    return email[:AUTHOR_EMAIL_MAX] if email else None


def authors(organization_id: int, commit_list: list[dict]) -> dict[str, int]:
    """Author e-mail -> id, creating the missing ones (the name from the newest commit)."""
    names: dict[str, str | None] = {}
    for commit in commit_list:
        email = author_email(commit)
        if email and email not in names:
            names[email] = commit.get("author_name")
    insert_ignore(CommitAuthor, [{"organization_id": organization_id, "email": email, "name": name}
                                 for email, name in names.items()], ("organization_id", "email"))
    if not names:
        return {}
    return dict(db.session.execute(select(CommitAuthor.email, CommitAuthor.id).where(
        CommitAuthor.organization_id == organization_id, CommitAuthor.email.in_(list(names)))).all())


def set_commits(release: Release, commit_list: list[dict]) -> None:
    """Replace the release's commits by ``commit_list`` (newest first)."""
    org_id = release.organization_id
    unique: dict[tuple[str, str], dict] = {}
    for commit in commit_list:
        repo = commit.get("repository") or default_repository(org_id)
        unique.setdefault((repo, commit["id"]), commit)
    repo_ids = repositories(org_id, {repo for repo, _ in unique})
    author_ids = authors(org_id, list(unique.values()))
    now = utcnow()
    rows = []
    for (repo, key), commit in unique.items():
        email = author_email(commit)
        rows.append({
            "organization_id": org_id, "repository_id": repo_ids[repo], "key": key,
            "message": commit.get("message"), "author_id": author_ids.get(email) if email else None,
            "date_added": commit.get("timestamp") or now, "patch_set": commit.get("patch_set") or [],
        })
    insert_ignore(Commit, rows, ("repository_id", "key"))
    ids = _commit_ids(set(repo_ids.values()), [key for _, key in unique])
    ordered = [ids[(repo_ids[repo], key)] for repo, key in unique]
    db.session.execute(delete(ReleaseCommit).where(ReleaseCommit.release_id == release.id))
    db.session.add_all(ReleaseCommit(release_id=release.id, commit_id=commit_id, position=index)
                       for index, commit_id in enumerate(ordered))
    release.commit_count = len(ordered)
    release.last_commit_id = ordered[0] if ordered else None
    seen_authors = []
    for commit in unique.values():
        author_id = author_ids.get(author_email(commit) or "")
        if author_id is not None and author_id not in seen_authors:
            seen_authors.append(author_id)
    release.authors = seen_authors


def _commit_ids(repository_ids: set[int], keys: list[str]) -> dict[tuple[int, str], int]:
    rows = db.session.execute(select(Commit.repository_id, Commit.key, Commit.id).where(
        Commit.repository_id.in_(repository_ids), Commit.key.in_(keys)))
    return {(repo_id, key): commit_id for repo_id, key, commit_id in rows}


def set_refs(release: Release, refs: list[dict], *, clear_commits: bool = False) -> None:
    """Store each repository's head commit for the release (replacing earlier refs)."""
    repo_ids = repositories(release.organization_id, {ref["repository"] for ref in refs}) if refs else {}
    db.session.execute(delete(ReleaseHeadCommit).where(ReleaseHeadCommit.release_id == release.id))
    heads = {}
    for ref in refs:
        heads[repo_ids[ref["repository"]]] = ref
    db.session.add_all(
        ReleaseHeadCommit(release_id=release.id, repository_id=repo_id, commit=ref["commit"],
                          previous_commit=ref.get("previousCommit") or None)
        for repo_id, ref in heads.items())
    if clear_commits:
        set_commits(release, [])
