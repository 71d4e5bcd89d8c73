"""Sentry's issues, events, tags and environments API over what the digest stored
(``views`` holds the blueprint; ``services`` the issue operations)."""
