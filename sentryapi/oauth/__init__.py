"""OAuth2 for third-party applications: apps, consent, codes, tokens (a built-in plugin)."""
