"""OpenAPI examples of user reports (data, not fixtures)."""

from ..issues.examples import ISSUE

EVENT_ID = "14bad9a2e3774046977a21440ddb39b2"
USER_REPORT = {
    "id": "1", "eventID": EVENT_ID, "name": "Jane Smith", "email": "jane@example.com",
    "comments": "It broke when I saved the form.", "dateCreated": "2026-11-24T09:31:02.000000Z",
    "user": None, "event": {"id": EVENT_ID, "eventID": EVENT_ID},
}
PROJECT_USER_REPORT = {**USER_REPORT, "issue": ISSUE}
USER_REPORT_CREATE = {"event_id": EVENT_ID, "name": "Jane Smith", "email": "jane@example.com",
                      "comments": "It broke when I saved the form."}
