# Copy to instance/config.py to override defaults (SENTRYAPI_* environment variables win).
# PUBLIC_URL = "https://sentry.example.com"
# SQLALCHEMY_DATABASE_URI = "postgresql://sentry@db.example.com/sentry"
# REDIS_URL = "redis://127.0.0.1:6379/0"
# SECRET_KEY = "<python -c 'import secrets; print(secrets.token_hex(32))'>"
