"""Response examples for the published document (validated by the test suite)."""

HOOK = {
    "id": "4f9d73e63b7144ecb8944c41620a090b",
    "url": "https://empowerplant.io/sentry-hook",
    "events": ["event.alert", "event.created"],
    "secret": "8fcac28aaa4c4f5fa572b61d40a8e084364db25fd37449c299e5a41c0504cbc2",
    "status": "active",
    "disabledReason": None,
    "dateCreated": "2018-11-06T21:20:08.143Z",
}

DELIVERY = {
    "id": "0b5a2e6a1c2f4d1e9f3a7b8c6d5e4f30",
    "event": "issue.created",
    "status": "delivered",
    "attempts": [
        {"id": "2", "dateCreated": "2026-03-02T16:05:41Z", "success": True, "statusCode": 200,
         "duration": 84, "responseBody": "ok", "error": None},
        {"id": "1", "dateCreated": "2026-03-02T16:05:11Z", "success": False, "statusCode": 503,
         "duration": 212, "responseBody": "busy", "error": "The receiver answered HTTP 503."},
    ],
    "dateCreated": "2026-03-02T16:05:11Z",
    "dateDelivered": "2026-03-02T16:05:41Z",
    "nextAttempt": None,
}

PENDING_DELIVERY = {**DELIVERY, "event": "ping.test", "status": "pending", "attempts": [],
                    "dateDelivered": None, "nextAttempt": "2026-03-02T16:05:11Z"}
