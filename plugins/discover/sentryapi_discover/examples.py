"""Response examples for the OpenAPI document (realistic bodies, validated by the suite)."""

EVENTS = {
    "data": [
        {"title": "KeyError: 'missing'", "count()": 212, "last_seen()": "2026-12-03T10:41:07+00:00"},
        {"title": "ValueError: bad input", "count()": 37, "last_seen()": "2026-12-03T09:58:30+00:00"},
    ],
    "meta": {"fields": {"title": "string", "count()": "integer", "last_seen()": "date"},
             "units": {"title": None, "count()": None, "last_seen()": None}, "isMetricsData": False,
             "isMetricsExtractedData": False, "tips": {}, "datasetReason": "unchanged",
             "dataset": "errors"},
}

TIMESERIES = {
    "timeSeries": [{
        "yAxis": "p95(transaction.duration)",
        "values": [{"timestamp": 1764756000000, "value": 412.5, "incomplete": False},
                   {"timestamp": 1764759600000, "value": 388.0, "incomplete": False}],
        "groupBy": [{"key": "transaction", "value": "/api/users"}],
        "meta": {"interval": 3600000, "valueType": "duration", "valueUnit": "millisecond",
                 "order": 0, "isOther": False},
    }],
    "meta": {"dataset": "transactions", "start": 1764756000000, "end": 1764763200000},
}

EVENTS_STATS = {
    "data": [[1764756000, [{"count": 4}]], [1764759600, [{"count": 0}]], [1764763200, [{"count": 11}]]],
    "start": 1764756000, "end": 1764766800, "isMetricsData": False,
    "meta": {"fields": {"count()": "integer"}, "units": {"count()": None}, "isMetricsData": False,
             "dataset": "errors"},
}

FACETS = [{"key": "browser", "topValues": [{"name": "Chrome", "value": "Chrome", "count": 31},
                                           {"name": "Firefox", "value": "Firefox", "count": 9}]}]

VALIDATE = {
    "valid": False, "projects": [{"valid": True, "error": None}],
    "dataset": [{"name": "errors", "valid": True, "error": None}], "environment": [],
    "field": [{"name": "title", "valid": True, "attrType": "string", "error": None},
              {"name": "p95(title)", "valid": False, "attrType": None,
               "error": "Invalid function: 'p95(title)': p95() needs a numeric field, not 'title'."}],
    "query": {"valid": True, "error": None, "fields": []}, "orderby": [],
}
