"""The plugin's blueprint (one OpenAPI tag: Alerts)."""

from sentryapi.api import Blueprint

blp = Blueprint("Alerts", __name__, description="Issue alert rules: conditions, filters, and e-mail or webhook actions.")
