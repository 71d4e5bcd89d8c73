"""Realistic response examples for the OpenAPI document (they validate against the schemas)."""

from __future__ import annotations

from sentryapi_teams.examples import ORGANIZATION, TEAM, TEAM_ACCESS

from .schemas import PROJECT_OPTION_DEFAULTS
from .serializers import FIXED_DETAILS

PROJECT_ID = "4505321021243392"
PUBLIC_KEY = "60120449b6b1d5e45f75561e6dabd80b"
TEAM_REF = {"id": TEAM["id"], "name": TEAM["name"], "slug": TEAM["slug"]}

PROJECT = {
    "id": PROJECT_ID,
    "slug": "the-spoiled-yoghurt",
    "name": "The Spoiled Yoghurt",
    "platform": "python",
    "dateCreated": "2023-06-08T00:13:06.004534Z",
    "isBookmarked": False,
    "isMember": True,
    "features": [],
    "firstEvent": None,
    "firstTransactionEvent": False,
    "access": TEAM_ACCESS,
    "hasAccess": True,
    "hasFeedbacks": False, "hasFlags": False, "hasMinifiedStackTrace": False,
    "hasMonitors": False, "hasNewFeedbacks": False, "hasProfiles": False, "hasReplays": False,
    "hasSessions": False, "hasInsightsHttp": False, "hasInsightsDb": False,
    "hasInsightsAssets": False, "hasInsightsAppStart": False, "hasInsightsScreenLoad": False,
    "hasInsightsVitals": False, "hasInsightsCaches": False, "hasInsightsQueues": False,
    "hasInsightsAgentMonitoring": False, "hasInsightsMCP": False, "hasLogs": False,
    "hasTraceMetrics": False, "hasUserReports": False,
    "isInternal": False,
    "isPublic": False,
    "avatar": {"avatarType": "letter_avatar", "avatarUuid": None, "avatarUrl": None},
    "color": "#bf6a3f",
    "status": "active",
    "team": TEAM_REF,
    "teams": [TEAM_REF],
    "platforms": ["python"],
    "environments": [],
    "latestRelease": None,
}

PROJECT_DETAIL = {
    **PROJECT,
    **PROJECT_OPTION_DEFAULTS,
    **FIXED_DETAILS,
    "organization": ORGANIZATION,
    "securityToken": "e84c8c0fb1c121e988558785885f9cde",
}

_API = f"https://sentry.example.com/api/{PROJECT_ID}"
KEY = {
    "id": PUBLIC_KEY,
    "name": "Default",
    "label": "Default",
    "public": PUBLIC_KEY,
    "secret": "189485c3b8ccf582bf5e12c530ef8858",
    "projectId": int(PROJECT_ID),
    "isActive": True,
    "rateLimit": {"window": 7200, "count": 1000},
    "dsn": {
        "secret": f"https://{PUBLIC_KEY}:189485c3b8ccf582bf5e12c530ef8858@sentry.example.com/{PROJECT_ID}",
        "public": f"https://{PUBLIC_KEY}@sentry.example.com/{PROJECT_ID}",
        "csp": f"{_API}/csp-report/?sentry_key={PUBLIC_KEY}",
        "security": f"{_API}/security/?sentry_key={PUBLIC_KEY}",
        "minidump": f"{_API}/minidump/?sentry_key={PUBLIC_KEY}",
        "nel": f"{_API}/nel/?sentry_key={PUBLIC_KEY}",
        "unreal": f"{_API}/unreal/{PUBLIC_KEY}/",
        "crons": f"{_API}/cron/___MONITOR_SLUG___/{PUBLIC_KEY}/",
        "cdn": f"https://sentry.example.com/js-sdk-loader/{PUBLIC_KEY}.min.js",
        "playstation": f"{_API}/playstation/?sentry_key={PUBLIC_KEY}",
        "integration": f"{_API}/integration/",
        "otlp_traces": f"{_API}/integration/otlp/v1/traces",
        "otlp_logs": f"{_API}/integration/otlp/v1/logs",
    },
    "browserSdkVersion": "latest",
    "browserSdk": {"choices": [["latest", "latest"], ["7.x", "7.x"]]},
    "dateCreated": "2023-06-21T19:50:26.036254Z",
    "dynamicSdkLoaderOptions": {"hasReplay": True, "hasPerformance": True, "hasDebug": False,
                                "hasFeedback": False, "hasLogsAndMetrics": False},
    "useCase": "user",
}
