"""OpenAPI examples of attachments (data, not fixtures)."""

ATTACHMENT = {
    "id": "1234", "event_id": "9b29bbe17e9d4ee3a6d0fe9b2e8a3b1c", "type": "event.attachment",
    "name": "screenshot.png", "mimetype": "image/png", "dateCreated": "2026-11-24T09:30:12.000000Z",
    "size": 248137, "headers": {"Content-Type": "image/png"},
    "sha1": "d3f299af02d6abbe92dd8368bab781824a9702ed",
}
