"""Event attachments: stored at ingest (``ingest``), served (``views``), deleted with their
events (``deletion.delete_attachments_of``); bytes in the core's blob store (filesystem or S3)."""
