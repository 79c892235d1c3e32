#!/usr/bin/env bash
# +nsall against its floor: a hierarchy (examples/lab.rs --spread) where the root, com.
# and four.com. each have four servers, delayed a quarter, a half, three quarters and
# all of the level's delay. Asking every server of a level at once (with its SOA, NS
# and glue probes) should cost the slowest server's delay per level, not the sum; the
# floor is the sum of the slowest delays. Also +nssearch against dig +nssearch, which
# finds the servers through a resolver (here four.com.'s fastest server, asked with
# RD) instead of a walk from the root. Runs inside a private network namespace.
#
#   bash benches/nsall.sh                   # 20 runs, slowest delays 20,40,60 ms
#   RUNS=50 DELAYS=10,20,30 bash benches/nsall.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
RUNS=${RUNS:-20}
DELAYS=${DELAYS:-20,40,60}

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  ensure_tools dig:bind9-dnsutils hyperfine:hyperfine python3:python3
  cargo build --release --locked -q
  cargo build --release --locked -q --example lab
  RUNS="$RUNS" DELAYS="$DELAYS" enter_private_network "$0" "$@"
fi

private_setup
IFS=, read -r root tld auth <<< "$DELAYS"
# dig +nssearch's resolver: the fastest server of four.com. (a quarter of its delay);
# it looks the name servers' addresses up with getaddrinfo, so a hosts file has them.
echo "nameserver 127.12.1.1" > "$work/resolv.conf"
printf '127.0.0.1 localhost\n' > "$work/hosts"
for i in 0 1 2 3; do echo "127.12.$((i + 1)).1 ns$i.four.com" >> "$work/hosts"; done
mount --bind "$work/hosts" /etc/hosts
target/release/examples/lab --spread "$DELAYS" > "$work/lab.out" & echo $! > "$work/lab.pid"
for _ in $(seq 50); do [ -s "$work/lab.out" ] && break; sleep 0.1; done
port=$(sed 's/.*port=\([0-9]*\).*/\1/' "$work/lab.out")
hints=$(sed 's/.*hints=//' "$work/lab.out")
dnscope=$PWD/target/release/dnscope
floor=$((root + tld + auth))

median() { # COMMAND: the median wall time in ms of RUNS runs
  hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$work/run.json" "$1" >/dev/null 2>&1
  python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['median']*1000, 1))" "$work/run.json"
}

echo "four servers per zone, slowest per level: root ${root} ms, TLD ${tld} ms, authoritative ${auth} ms; ${RUNS} runs; medians"
printf '%-44s %8s %8s %9s\n' command ms floor "vs floor"
row() { # LABEL COMMAND FLOOR
  local ms
  ms=$(median "$2")
  printf '%-44s %8s %8s %9s\n' "$1" "$ms" "$3" "$(python3 -c "print(f'{$ms/$3:.2f}x')")"
}
# Sanity: the answer and every server in the table, or the figures mean nothing.
$dnscope +trace +nsall --json --root-hints "$hints" -p "$port" www.four.com | python3 -c '
import json, sys
doc = json.loads(sys.stdin.readline())
rows = [len(h.get("servers", [])) for h in doc["hops"]]
assert doc["status"] == "answer" and rows == [4, 4, 4] and doc["findings"] == [], (doc["status"], rows, doc["findings"])'
row "dnscope +trace +nsall www.four.com" "$dnscope +trace +nsall --root-hints $hints -p $port www.four.com" "$floor"
row "dnscope +trace www.four.com (fastest/level)" "$dnscope +trace --root-hints $hints -p $port www.four.com" \
  "$(( (root + tld + auth) / 4 ))"
row "dnscope +nssearch four.com (from the root)" "$dnscope +nssearch --root-hints $hints -p $port four.com" "$floor"
# dig: the NS set from its resolver (auth/4), addresses from the hosts file, then the
# SOA from every server.
dig +nssearch -p "$port" four.com | grep -c '^SOA' | grep -qx 4 || { echo "dig +nssearch did not list the four servers" >&2; exit 1; }
row "dig +nssearch four.com (via a resolver)" "dig +nssearch -p $port four.com" "$(( auth / 4 + auth ))"
echo "dig's floor: its resolver's NS lookup ($((auth / 4)) ms) and the slowest SOA; dnscope's: a walk from the root"
