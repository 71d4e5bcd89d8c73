"""User feedback: user reports and feedback issues (``services``), from envelopes (``ingest``)
and the API (``views``)."""
