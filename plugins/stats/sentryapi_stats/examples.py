"""Response examples for the OpenAPI document (realistic bodies, validated by the suite)."""

USAGE = {
    "start": "2026-11-23T00:00:00Z",
    "end": "2026-11-25T00:00:00Z",
    "intervals": ["2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z"],
    "groups": [
        {"by": {"outcome": "accepted", "category": "error"},
         "totals": {"sum(quantity)": 1432}, "series": {"sum(quantity)": [610, 822]}},
        {"by": {"outcome": "rate_limited", "category": "error"},
         "totals": {"sum(quantity)": 57}, "series": {"sum(quantity)": [0, 57]}},
    ],
}

PROJECT_STATS = [[1764028800, 12], [1764032400, 30], [1764036000, 0], [1764039600, 7]]

ISSUE_COUNTS = {"total": 9, "byLevel": {"error": 7, "warning": 2},
                "byStatus": {"ignored": 1, "resolved": 3, "unresolved": 5}}
