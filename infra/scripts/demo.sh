#!/usr/bin/env bash
# make demo: the embedded broker, the service and one scenario (default list-upload); shows the decision arriving.
# Usage: infra/scripts/demo.sh [scenario] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
SCENARIO="${1:-list-upload}"; SECONDS_TO_RUN="${2:-20}"
CONFIG="${CONFIG:-Release}"; PGPORT="${PGPORT:-55432}"
MONITOR="services/Monitor/bin/$CONFIG/net10.0/monitor.dll"
WORK="$(mktemp -d)"; KEY="demo-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"; PORT=8089
cleanup() {
  kill "${SERVICE_PID:-}" "${BROKER_PID:-}" 2>/dev/null || true
  for _ in $(seq 50); do { kill -0 "${SERVICE_PID:-0}" 2>/dev/null || kill -0 "${BROKER_PID:-0}" 2>/dev/null; } || return 0; sleep 0.2; done
  kill -9 "${SERVICE_PID:-}" "${BROKER_PID:-}" 2>/dev/null || true
}
dropdb() { cleanup; psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -c "DROP DATABASE IF EXISTS ${DB:-none}" > /dev/null 2>&1 || true; }
trap dropdb EXIT

DB="demo_$$"  # a fresh database per demo, dropped at the end
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -c "CREATE DATABASE $DB" > /dev/null

dotnet "$MONITOR" dev-broker --address-file "$WORK/broker" > "$WORK/broker.log" 2>&1 & BROKER_PID=$!
for _ in $(seq 100); do [ -s "$WORK/broker" ] && break; sleep 0.2; done
BROKER="$(cat "$WORK/broker")"; echo "broker   $BROKER"

MONITOR_API_KEY_OPERATOR="$KEY" MONITOR_LOG_FORMAT=text Postgres__ConnectionString="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=$DB" \
  dotnet "$MONITOR" run --bootstrap-servers "$BROKER" "--Api:Url=http://127.0.0.1:$PORT" "--Kafka:ApplicationId=demo-$$" \
    "--Api:CommandSigningKey=demo-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$WORK/service.log" 2>&1 & SERVICE_PID=$!
for _ in $(seq 300); do curl -fs "http://127.0.0.1:$PORT/readyz" > /dev/null 2>&1 && break; sleep 0.2; done
echo "service  http://127.0.0.1:$PORT   (key: $KEY; log: $WORK/service.log)"

dotnet "$MONITOR" simulate --bootstrap-servers "$BROKER" --scenario "$SCENARIO" --rate 2000 --accounts 3 --duration "00:00:$(printf %02d "$SECONDS_TO_RUN")"

echo "decisions (GET /v1/accounts, then the reviews):"
for _ in $(seq 30); do
  OUT="$(curl -fs -H "X-Api-Key: $KEY" "http://127.0.0.1:$PORT/v1/accounts" || true)"
  echo "$OUT" | grep -qE '"status":"(paused|under_review)"' && break; sleep 1
done
echo "$OUT" | python3 -c '
import json, sys
for a in json.load(sys.stdin)["items"]:
    print("  %s  %-13s sent=%-6d bounce=%.2f%%  complaint=%.3f%%" % (a["accountId"], a["status"], a["sent"], 100 * a["rates"]["bounce"], 100 * a["rates"]["complaint"]))'
curl -fs -H "X-Api-Key: $KEY" "http://127.0.0.1:$PORT/v1/accounts/100000000001" | python3 -c '
import json, sys
a = json.load(sys.stdin)
print("  subject %s: %s%s" % (a["accountId"], a["status"], " by %s: %s" % (a["statusRule"], a["statusReason"]) if a.get("statusRule") else ""))' || true
curl -fs -H "X-Api-Key: $KEY" "http://127.0.0.1:$PORT/v1/findings?pageSize=5" | python3 -c '
import json, sys
for f in json.load(sys.stdin)["items"]:
    print("  finding  %s  %s  %s" % (f["rule"], f["entity"], f.get("provider") or ""))' || true
grep -E "Decisions" "$WORK/service.log" | tail -5 || true
