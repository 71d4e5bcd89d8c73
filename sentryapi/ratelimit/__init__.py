"""Rate limits on the management API (Sentry's headers and 429s) and ingestion quotas."""

from .limiter import install as install_rate_limits
from .policy import RateLimit

__all__ = ["RateLimit", "install_rate_limits"]
