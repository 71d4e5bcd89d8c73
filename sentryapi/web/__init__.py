"""The request plumbing the core is built on (``Endpoint``, schemas, lookups, hooks).

Plugins reach it through ``sentryapi.api``, which re-exports it; core modules that the
facade itself re-exports (the access layer, the tenant models and shapes) import from
here, so importing any of them first never meets a half-built ``sentryapi.api``.
"""
