"""Example bodies for the OpenAPI document (validated against their schemas by the suite)."""

RELEASE_FILE = {
    "id": "16", "name": "~/static/app.min.js.map", "dist": None,
    "headers": {"Content-Type": "application/json"}, "size": 1024,
    "sha1": "a9993e364706816aba3e25717850c26c9cd0d89d", "dateCreated": "2026-12-03T10:40:00Z",
}
