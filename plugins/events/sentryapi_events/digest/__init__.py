"""The digest: queued events normalized, grouped into issues and counted in batches
(``batch``), the webhooks a batch owes (``notify``), and the thread or process that runs
it (``worker``)."""
