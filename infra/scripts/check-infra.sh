#!/usr/bin/env bash
# Checks the deployment files: the Prometheus alert rules (promtool check + unit tests) and docker-compose.yml
# (docker-compose config). Installs Debian's `prometheus` and `docker-compose` packages when they are missing;
# if they truly cannot be installed, says so loudly and skips that check (it does not pretend to pass).
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
if need docker-compose docker-compose; then
  MONITOR_API_KEY_OPERATOR=check docker-compose -f docker-compose.yml config --quiet && echo "docker-compose.yml: valid" || status=1
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
