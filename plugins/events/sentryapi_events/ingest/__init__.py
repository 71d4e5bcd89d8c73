"""SDK ingestion: the envelope and store endpoints, their auth, decoding and limits, and the
durable write of each accepted event to the ingest queue (``endpoints`` is the entry)."""
