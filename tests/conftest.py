"""Shared fixtures for the core's tests live in sentryapi.testing (a pytest plugin)."""
