"""Organizations, members and auth tokens: the tenant root (a built-in plugin, see plugin.py)."""
