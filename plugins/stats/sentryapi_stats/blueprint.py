"""The stats plugin's blueprint (one OpenAPI tag, "Stats") and the scopes its views take."""

from sentryapi.api import Blueprint

blp = Blueprint("Stats", __name__, description="Usage stats: what was received, accepted "
                "and dropped per project, category and outcome, and event counts over time.")

ORG_READ = ("org:read", "org:write", "org:admin")
PROJECT_READ = ("project:read", "project:write", "project:admin")
EVENT_READ = ("event:read", "event:write", "event:admin")
