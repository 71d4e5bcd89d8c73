"""The yardstick for bench/ingest.py: a bare Flask envelope endpoint that stores nothing.

It does what any envelope endpoint must (read the body, parse the header line, answer
the event id) and nothing more, so its rate is the ceiling of the web layer.
"""

import json

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/api/<int:project_id>/envelope/")
def envelope(project_id):
    header = request.get_data().split(b"\n", 1)[0]
    return jsonify({"id": json.loads(header).get("event_id")})
