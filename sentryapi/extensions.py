"""The Flask extensions, created once here and bound to each app by the factory."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from .database import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
