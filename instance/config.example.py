# Copy to instance/config.py to override defaults (SENTRYAPI_* environment variables win).
# Names are the environment's, with or without the SENTRYAPI_ prefix (README: Settings).
# PUBLIC_URL = "https://sentry.example.com"
# DATABASE_URL = "postgresql://sentry@db.example.com/sentry"
# REDIS_URL = "redis://127.0.0.1:6379/0"
# SECRET_KEY = "<python -c 'import secrets; print(secrets.token_hex(32))'>"
# RATELIMIT_DEFAULT = "200 per 10 seconds"  # per caller, endpoint and method
# RATELIMIT_CONCURRENT = 25
# TRUSTED_PROXIES = 1                         # behind one load balancer / reverse proxy
# INGEST_ORGANIZATION_QUOTA = "100000 per hour"
