#!/usr/bin/env bash
# Runs `dotnet test` with the given arguments and closes with one plain summary line over all test
# assemblies ("N passed, N failed, N skipped"); the exit code is dotnet test's.
set -uo pipefail
log="$(mktemp)"
# PIPESTATUS right after the pipeline: an `|| true` here once made every run exit 0, failed tests included.
"$1" test "${@:2}" --logger "console;verbosity=normal" 2>&1 | tee "$log" | grep -vE '^\s*Passed [A-Za-z]'
status=${PIPESTATUS[0]}
sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
# CI keeps only the tail of the output: name each failed test and its message again here, where it is seen.
if [ "${failed:-0}" -gt 0 ]; then
  awk '/^ +Failed [A-Za-z_]/ { show = 1; n = 0; print; next }
       show && /^ +Stack Trace:/ { show = 0; next }
       show && n < 12 { print; n++ }' "$log"
fi
if [ "${failed:-0}" -gt 0 ] && [ "$status" -eq 0 ]; then status=1; fi
rm -f "$log"
exit "$status"
