"""The Discover plugin's blueprint (one OpenAPI tag, "Discover")."""

from sentryapi.api import Blueprint

blp = Blueprint("Discover", __name__, description="Query events and transactions: tables of "
                "fields and functions, time series, facets and counts, in Sentry's search syntax.")
