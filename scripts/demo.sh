#!/usr/bin/env bash
# `npm run demo`: the whole story on one program. Builds a fixture, runs it
# uninterrupted, runs it again with a checkpoint half-way and an exit right
# after it, shows the checkpoint, restarts from it in a fresh process, and
# checks that the two halves joined are exactly the uninterrupted output.
# Usage: scripts/demo.sh [programDir]   (default: fixtures/game-of-life)
set -euo pipefail
cd "$(dirname "$0")/.."

program=${1:-fixtures/game-of-life}
[ -f "$program/main.ts" ] || program=scripts/demo
[ -f dist/cli/main.js ] || npm run build
work=$(mktemp -d "${TMPDIR:-/tmp}/introspect-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT

introspect() { node bin/introspect.mjs "$@"; }
if [ -t 1 ]; then step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }; else step() { printf '\n== %s\n' "$*"; }; fi

step "1. build $program"
introspect build "$program" --out-dir "$work/build"

step "2. run it uninterrupted, counting suspension points"
if ! introspect run "$work/build/main.js" --count-points >"$work/full.out" 2>"$work/full.err"; then
  echo "the program failed:" >&2
  cat "$work/full.err" >&2
  exit 1
fi
points=$(tail -n 1 "$work/full.err" | sed -n 's/^introspect: \([0-9][0-9]*\) suspension points$/\1/p')
if [ -z "$points" ]; then
  echo "could not count suspension points; last stderr line: $(tail -n 1 "$work/full.err")" >&2
  exit 1
fi
at=$(( points / 2 > 0 ? points / 2 : 1 ))
echo "$(wc -l <"$work/full.out") lines of output, $points suspension points"

step "3. run again: checkpoint at point $at of $points, then exit"
introspect run "$work/build/main.js" --checkpoint-at "$at" --checkpoint-file "$work/demo.ckpt" \
  --exit-after-checkpoint >"$work/first.out"
if [ ! -f "$work/demo.ckpt" ]; then
  echo "no checkpoint was written (see the runtime's message above); stopping here" >&2
  exit 1
fi
echo "first half: $(wc -l <"$work/first.out") lines, then the process exited; last lines:"
tail -n 3 "$work/first.out" | sed 's/^/  | /'

step "4. what the checkpoint holds"
introspect inspect "$work/demo.ckpt"

step "5. restart from the checkpoint in a fresh process"
introspect restart "$work/demo.ckpt" >"$work/second.out"
echo "second half: $(wc -l <"$work/second.out") lines; first lines:"
head -n 3 "$work/second.out" | sed 's/^/  | /'

step "6. first half + second half == uninterrupted run?"
cat "$work/first.out" "$work/second.out" >"$work/joined.out"
if cmp -s "$work/joined.out" "$work/full.out"; then
  echo "yes: identical ($(wc -c <"$work/full.out") bytes)"
else
  echo "NO: the outputs differ:" >&2
  diff "$work/full.out" "$work/joined.out" >&2 || true
  exit 1
fi
