#!/usr/bin/env bash
# Start the action server and the Rasa server (REST channel, token-protected HTTP API) and keep
# them running until Ctrl-C, which stops both. Called by `make run` after set-up and training.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var

if [ -z "${RASA_API_TOKEN:-}" ]; then
  # No token given: make one once and keep it in the git-ignored var/ folder.
  [ -s var/api_token ] || .venv/bin/python -c "import secrets; print(secrets.token_urlsafe(32))" > var/api_token
  RASA_API_TOKEN=$(cat var/api_token)
fi

# The demo page with the chat widget, and the page origins allowed to open a chat.
WEB_PORT=${WEB_PORT:-8080}
export CORS_ORIGINS=${CORS_ORIGINS:-"http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT"}
read -r -a cors_origins <<< "$CORS_ORIGINS"

pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap 'stop; echo " stopped."; exit 0' INT TERM   # Ctrl-C: stop everything, a normal exit
trap stop EXIT

.venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT" > var/actions.log 2>&1 &
pids+=($!)
# `python -m serving` is `rasa` with this project's patches (serving/rasa_patches.py).
.venv/bin/python -m serving run --model models/current.tar.gz --endpoints endpoints.yml \
  --credentials credentials.yml --port "$RASA_PORT" --enable-api --auth-token "$RASA_API_TOKEN" \
  --cors "${cors_origins[@]}" > var/rasa.log 2>&1 &
pids+=($!)
WEB_PORT=$WEB_PORT .venv/bin/python -m web.server > var/web.log 2>&1 &
pids+=($!)
# The console takes conversations over and answers through Rasa's HTTP API (docs/handoff.md).
RASA_API_URL=${RASA_API_URL:-"http://127.0.0.1:$RASA_PORT"} RASA_API_TOKEN=$RASA_API_TOKEN \
  .venv/bin/python -m console.app > var/console.log 2>&1 &
pids+=($!)

echo "Starting (logs: var/rasa.log, var/actions.log, var/web.log, var/console.log) ..."
for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:$RASA_PORT/" > /dev/null 2>&1; then
    cat <<MSG

The assistant is running.
  Website with the chat widget:  http://localhost:$WEB_PORT/
  Talk to it:  curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender": "me", "message": "what is a trigger point injection?"}'
  or, in another terminal:  make shell
  HTTP API (needs the token):  http://localhost:$RASA_PORT/  token: \$RASA_API_TOKEN or var/api_token
  Staff console:  http://localhost:${CONSOLE_PORT:-8090}/  (first create an account:
    .venv/bin/python -m console.users add NAME --role admin)
  Conversations are stored in $TRACKER_DB.  Ctrl-C stops everything.
MSG
    wait -n "${pids[@]}"
    echo "A server stopped; see var/rasa.log, var/actions.log, var/web.log and var/console.log" >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A server failed to start:" >&2; tail -20 var/rasa.log var/actions.log >&2; exit 1; }
  done
  sleep 1
done
echo "The Rasa server did not answer within 3 minutes; see var/rasa.log" >&2
exit 1
