"""The tenant root the core builds on: organizations, members, their settings and shapes."""
