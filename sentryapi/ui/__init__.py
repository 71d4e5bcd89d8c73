"""The web front end: the built React app (``ui/`` at the top of the repository, built into
``static/``), the session bootstrap it reads, plugin widgets, and live updates over a
WebSocket fed by the digest."""
