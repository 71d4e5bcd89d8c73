"""Event attachments: stored at ingest (``ingest``), served (``views``), deleted with their
events (``deletion.delete_attachments_of``); bytes in a filesystem or S3 store (``storage``)."""
