#!/usr/bin/env bash
# Runs the README's `npm start` as a user would, waits for the URL line, asks the gateway for the
# counties of ArL Weser-Ems, lets the keys CLI find its database, presses Ctrl-C (SIGINT to the
# process group) and checks that no process of the stack, nor its database's address, is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
setsid npm start >"$log" 2>&1 &
leader=$!
cleanup() { kill -KILL -- "-$leader" 2>/dev/null || true; }
trap cleanup EXIT

url=""
for _ in $(seq 1 240); do
  url=$(grep -o 'running at http://[^ ]*/graphql' "$log" | head -n 1 | sed 's/running at //') || true
  [ -n "$url" ] && break
  if ! kill -0 "$leader" 2>/dev/null; then cat "$log"; echo "npm start exited early" >&2; exit 1; fi
  sleep 1
done
[ -n "$url" ] || { cat "$log"; echo "npm start printed no URL within 240 s" >&2; exit 1; }
echo "npm start is serving $url"

answer=$(curl -sf "$url" -H 'content-type: application/json' \
  -d '{"query":"{ region(code: \"034\") { descendants(level: COUNTY) { name parent { name } } } }"}')
counties=$(node -e 'const a = JSON.parse(process.argv[1]); const c = a.data.region.descendants; if (!c.every((x) => x.parent.name === "Weser-Ems")) process.exit(2); console.log(c.length)' "$answer")
[ "$counties" = "17" ] || { echo "expected 17 counties, got: $answer" >&2; exit 1; }
echo "17 counties of Weser-Ems with names and parents: ok"

atlas=$(grep -o 'Atlas: http://[^)]*' "$log" | head -n 1 | sed 's/Atlas: //') || true
[ -n "$atlas" ] || { cat "$log"; echo "npm start printed no Atlas URL" >&2; exit 1; }
page=$(curl -sf "$atlas") || true
case "$page" in *'<title>RegioGraph Atlas'*) ;; *) echo "no Atlas page at $atlas" >&2; exit 1 ;; esac
echo "the Atlas is served at $atlas: ok"

# The command-line tools find the database npm start runs without an address (shared's findDatabaseUrl).
env -u DATABASE_URL -u API_KEYS_DATABASE_URL npm run -s keys -w @regiograph/gateway -- list >/dev/null ||
  { echo "npm run keys did not find the database of npm start" >&2; exit 1; }
echo "npm run keys found the database of npm start: ok"

kill -INT -- "-$leader"
for _ in $(seq 1 30); do
  if ! pgrep -g "$leader" >/dev/null 2>&1; then break; fi
  sleep 1
done
if pgrep -g "$leader" >/dev/null 2>&1; then
  ps -o pid,args -g "$leader" >&2
  echo "processes left behind after Ctrl-C" >&2
  exit 1
fi
grep -q 'stopped' "$log" || { cat "$log"; echo "no clean stop reported" >&2; exit 1; }
[ ! -e .data/database-url ] || { echo "npm start left .data/database-url behind: the tools would try a stopped database" >&2; exit 1; }
echo "Ctrl-C stopped everything."
trap - EXIT
