#!/usr/bin/env bash
# Checks the deployment files: the Prometheus alert rules (promtool check + unit tests), the Alertmanager config
# (amtool) and docker-compose.yml (docker-compose config, and that its defaults stay secure). Installs Debian's
# `prometheus`, `prometheus-alertmanager` and `docker-compose` packages when they are missing; if they truly cannot be
# installed, says so loudly and skips that check (it does not pretend to pass).
set -euo pipefail
cd "$(dirname "$0")/../.."

need() { # need <command> <debian package>
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "check-infra: installing $2 (for $1)"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  { $sudo apt-get install -y -q --no-install-recommends "$2" >/dev/null 2>&1 ||
    { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q --no-install-recommends "$2" >/dev/null 2>&1; }; } || true
  command -v "$1" >/dev/null 2>&1
}

status=0
if need promtool prometheus; then
  promtool check rules infra/prometheus/alerts.yml
  (cd infra/prometheus && promtool test rules alerts.test.yml) || status=1
  promtool check config --syntax-only infra/prometheus/prometheus.yml || status=1
else
  echo "############################################################################"
  echo "## check-infra: SKIPPED the alert rule tests: promtool could not be installed"
  echo "############################################################################"
fi
if need amtool prometheus-alertmanager; then
  for config in infra/alertmanager/alertmanager.yml infra/alertmanager/alertmanager.examples.yml; do
    amtool check-config "$config" >/dev/null || { echo "$config: invalid (amtool check-config)"; status=1; }
    # Every severity the alert rules use reaches the receiver of the same name, and an unknown one still reaches someone.
    for severity in $(grep -oE 'severity: [a-z]+' infra/prometheus/alerts.yml | cut -d' ' -f2 | sort -u) unknown; do
      expected="$severity"; [ "$severity" = unknown ] && expected=ticket
      got="$(amtool config routes test --config.file="$config" "severity=$severity" 2>/dev/null)"
      if [ "$got" = "$expected" ]; then echo "$config: severity=$severity -> $got"
      else echo "$config: severity=$severity reaches '$got', expected '$expected'"; status=1; fi
    done
  done
else
  echo "############################################################################"
  echo "## check-infra: SKIPPED the Alertmanager config check: amtool could not be installed"
  echo "############################################################################"
fi
if need docker-compose docker-compose; then
  # Every variable docker-compose.yml requires (no defaults: secure by default). A new required one goes here too.
  required=(MONITOR_API_KEY_OPERATOR MONITOR_COMMAND_SIGNING_KEY KAFKA_MONITOR_PASSWORD POSTGRES_PASSWORD
    MONITOR_DB_PASSWORD MONITOR_DB_OWNER_PASSWORD GRAFANA_ADMIN_PASSWORD)
  # A clean environment (an empty env file instead of any .env, nothing inherited), plus dummy values for the required
  # variables but one.
  no_env_file="$(mktemp)"
  compose() { # compose <variable left unset, or ""> <docker-compose arguments...>
    local skip="$1" v; shift
    local vars=()
    for v in "${required[@]}"; do [ "$v" = "$skip" ] || vars+=("$v=check-value-of-at-least-32-characters"); done
    env -i PATH="$PATH" HOME="${HOME:-/tmp}" "${vars[@]}" \
      docker-compose --env-file "$no_env_file" -f docker-compose.yml "$@"
  }
  if compose "" config --quiet; then echo "docker-compose.yml: valid"; else status=1; fi
  secure=1
  # No default sneaks back: leaving out any one required variable must fail.
  for v in "${required[@]}"; do
    if compose "$v" config --quiet >/dev/null 2>&1; then
      echo "docker-compose.yml: starts without $v (a default crept back?)"; secure=0
    fi
  done
  # Published ports, per service: "<service> <ports> <ports bound to 127.0.0.1>". Reads both the short form of
  # docker-compose 1 ("- 127.0.0.1:9090:9090/tcp") and the long form of compose 2 ("- mode: ..." + "host_ip: ...").
  published="$(compose "" config 2>/dev/null | awk '
    /^[^ ]/ { in_services = ($0 == "services:"); in_ports = 0; next }
    !in_services { next }
    /^  [^ ]/ { service = $1; sub(/:$/, "", service); in_ports = 0; next }
    /^    ports:/ { in_ports = 1; next }
    in_ports && /^    [^ -]/ { in_ports = 0 }
    in_ports && /^ *- / { ports[service]++ }
    in_ports && /127\.0\.0\.1/ { loopback[service]++ }
    END { for (s in ports) print s, ports[s], loopback[s] + 0 }' || true)"
  [ -n "$published" ] || { echo "docker-compose.yml: no published ports found at all (is this check broken?)"; secure=0; }
  # Kafka and PostgreSQL are not published (docker-compose.override.example.yml does that, for development); the UIs
  # only on the loopback interface; the monitor's API is published on purpose.
  while read -r service ports loopback; do
    case "$service" in
      "") ;;
      kafka|postgres) echo "docker-compose.yml: $service publishes ports on the host"; secure=0 ;;
      monitor) ;;
      *) [ "$loopback" -ge "$ports" ] || { echo "docker-compose.yml: $service publishes beyond 127.0.0.1"; secure=0; } ;;
    esac
  done <<< "$published"
  if [ "$secure" -eq 1 ]; then
    echo "docker-compose.yml: secure defaults (no default for a required variable; published: $(cut -d' ' -f1 <<< "$published" | sort | tr '\n' ' '| sed 's/ $//'))"
  else
    status=1
  fi
  rm -f "$no_env_file"
else
  echo "############################################################################"
  echo "## check-infra: SKIPPED docker-compose.yml validation: docker-compose could not be installed"
  echo "############################################################################"
fi
# The test runner must hand a failed run's exit code on (it once did not): a command that fails, and one that says so.
says_failed="$(mktemp)"; printf '#!/bin/sh\necho "Failed: 1"\n' > "$says_failed"; chmod +x "$says_failed"
if bash infra/scripts/run-tests.sh false >/dev/null 2>&1 || bash infra/scripts/run-tests.sh "$says_failed" >/dev/null 2>&1; then
  echo "run-tests.sh: a failing test run exited 0"; status=1
else
  echo "run-tests.sh: failing runs fail"
fi
# ...and name the failed test after its summary line, since CI shows only the tail.
names_failed="$(mktemp)"
printf '#!/bin/sh\necho "  Failed Some.Test_name [1 s]"\necho "  Error Message:"\necho "   boom"\necho "  Stack Trace:"\necho "     at Frame()"\necho "     Failed: 1"\n' > "$names_failed"
chmod +x "$names_failed"
tail_of_run="$( (bash infra/scripts/run-tests.sh "$names_failed" 2>&1 || true) | sed -n '/^tests: /,$p' | tr '\n' ' ')"
if [[ "$tail_of_run" == *"Failed Some.Test_name"*boom* ]]; then
  echo "run-tests.sh: a failed test is named after the summary"
else
  echo "run-tests.sh: a failed test is not named after the summary"; status=1
fi
rm -f "$says_failed" "$names_failed"
exit $status
