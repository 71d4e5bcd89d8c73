"""The Flask extensions, created once here and bound to each app by the factory.

The rate limiter is the exception: flask-limiter keeps its storage and limits on the
Limiter object, so each app gets its own (``sentryapi.ratelimit.install_rate_limits``,
kept in ``app.extensions["sentryapi.ratelimit"]``); tests build several apps at once.
"""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from .database import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
