#!/usr/bin/env bash
# The newcomer's path, as the README gives it: `make run` (no dev extras) in a fresh venv and
# instance folder, then the printed curl line must answer 200 and the printed Python snippet,
# run with the real sentry-sdk, must become an issue the API lists. Everything it starts it
# stops. `make smoke` runs it; CI runs it before the suite.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$(mktemp -d /tmp/sentryapi-smoke.XXXXXX)
PYTHON=${PYTHON:-python3}
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
OUT=$WORK/make-run.log
SERVER=

say() { echo "smoke: $*"; }
fail() {
  echo "smoke: FAILED: $*" >&2
  echo "--- make run output (last 40 lines) ---" >&2
  tail -n 40 "$OUT" >&2 || true
  exit 1
}
stop() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM -- "-$SERVER" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$SERVER" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap stop EXIT

say "make run PORT=$PORT in a fresh venv ($WORK/venv), no dev extras"
# The environment a newcomer has: none of this project's settings.
for name in $(env | grep -o '^SENTRYAPI_[A-Z_]*' || true); do unset "$name"; done
export SENTRYAPI_INSTANCE_PATH=$WORK/instance
setsid make run VENV="$WORK/venv" PORT="$PORT" PYTHON="$PYTHON" >"$OUT" 2>&1 &
SERVER=$!

BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do  # installing takes most of it: up to 5 minutes
  curl -fs -o /dev/null "$BASE/api/0/" && break
  kill -0 "$SERVER" 2>/dev/null || fail "make run stopped"
  sleep 0.5
done
curl -fs -o /dev/null "$BASE/api/0/" || fail "nothing answered on $BASE within 5 minutes"
say "serving on $BASE"

"$WORK/venv/bin/python" - <<'PY' || fail "the server's venv is not the newcomer's"
import importlib.util, sys
from importlib.metadata import entry_points
dev = [m for m in ("pytest", "xdist", "schemathesis", "playwright", "jsonschema") if importlib.util.find_spec(m)]
assert not dev, f"dev extras installed: {dev}"
plugins = [ep.load() for ep in entry_points(group="sentryapi.plugins")]
print(f"smoke: {len(plugins)} plugins import without the dev extras:", ", ".join(sorted(p.name for p in plugins)))
PY

grep -q '^Try it:  curl ' "$OUT" || fail "make run printed no curl line"
CURL_LINE=$(sed -n 's/^Try it:  //p' "$OUT" | head -1)
# The line runs as printed; only curl's own output options are added.
STATUS=$(curl() { command curl -s -o /dev/null -w '%{http_code}' "$@"; }; eval "$CURL_LINE")
[ "$STATUS" = 200 ] || fail "the printed curl line answered $STATUS"
say "the printed curl line answers 200"

SNIPPET=$(sed -n '/^Send a first error/,/^Then see it/p' "$OUT" | sed -n 's/^    //p')
[ "$(echo "$SNIPPET" | wc -l)" = 3 ] || fail "make run printed no three-line snippet"
"$PYTHON" -m venv "$WORK/client"
"$WORK/client/bin/pip" install -q sentry-sdk >"$WORK/client-pip.log" 2>&1 || fail "pip install sentry-sdk"
"$WORK/client/bin/python" -c "$SNIPPET" 2>"$WORK/snippet.log" && fail "the snippet raised nothing"
grep -q ZeroDivisionError "$WORK/snippet.log" || fail "the snippet did not fail as written: $(cat "$WORK/snippet.log")"
say "sent the snippet's error with sentry-sdk $("$WORK/client/bin/python" -c 'import sentry_sdk; print(sentry_sdk.VERSION)')"

ISSUES_LINE=$(sed -n 's/^Then see it:  //p' "$OUT" | head -1)
for _ in $(seq 1 100); do
  BODY=$(curl() { command curl -s "$@"; }; eval "$ISSUES_LINE")
  echo "$BODY" | grep -q '"ZeroDivisionError' && break
  sleep 0.2
done
echo "$BODY" | grep -q '"ZeroDivisionError' || fail "no ZeroDivisionError issue in 20 s: $BODY"
say "ok: the error is an issue: $(echo "$BODY" | "$PYTHON" -c 'import json, sys; i = json.load(sys.stdin)[0]; print(i["shortId"], i["title"])')"
