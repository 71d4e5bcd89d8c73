"""The plugin's blueprint: sentry-cli's uploads (chunks, artifact bundles)."""

from sentryapi.api import Blueprint

blp = Blueprint("Source Maps", __name__, description="Source maps, artifact bundles and "
                "debug files uploaded by sentry-cli, used to make stack traces readable.")
