# Shared by the benchmark scripts; sourced, not run.

# ensure_tools CMD:PACKAGE...: installs the Debian package of every missing command.
ensure_tools() {
  local need=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

# enter_private_network SCRIPT ARGS...: runs SCRIPT again inside a new network and mount
# namespace, where only `lo` exists, so nothing it starts can reach beyond this machine.
enter_private_network() {
  exec unshare --net --mount env DNSCOPE_BENCH_INSIDE=1 bash "$@"
}

# private_setup: inside the namespace, brings `lo` up, makes a work folder ($work) that
# is removed on exit, and gives the namespace its own resolv.conf naming 127.0.0.1.
private_setup() {
  ip link set lo up
  work=$(mktemp -d)
  trap private_cleanup EXIT
  echo "nameserver 127.0.0.1" > "$work/resolv.conf"
  mount --bind "$work/resolv.conf" /etc/resolv.conf
}

private_cleanup() {
  [ -f "$work/knotd.pid" ] && kill "$(cat "$work/knotd.pid")" 2>/dev/null
  [ -f "$work/lab.pid" ] && kill "$(cat "$work/lab.pid")" 2>/dev/null
  umount /etc/resolv.conf /etc/hosts 2>/dev/null || true
  rm -rf "$work"
}

# start_knot PORT RECORDS: serves example.test (SOA, NS and RECORDS, zone-file lines)
# with knotd on 127.0.0.1@PORT, one UDP worker, and waits until it answers. KNOT_ACL
# (top-level lines) and KNOT_ZONE_EXTRA (lines of the zone's entry) add to its config.
start_knot() {
  local port=$1 records=$2
  printf '$ORIGIN example.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n%s\n' \
    "$records" > "$work/example.test.zone"
  mkdir -p "$work/db"
  cat > "$work/knot.conf" <<CONF
server:
    rundir: "$work"
    listen: 127.0.0.1@$port
    background-workers: 1
    udp-workers: 1
    tcp-workers: 1
database:
    storage: "$work/db"
template:
  - id: default
    storage: "$work"
    file: "%s.zone"
${KNOT_ACL:-}
zone:
  - domain: example.test
${KNOT_ZONE_EXTRA:-}
log:
  - target: stderr
    any: error
CONF
  knotd -c "$work/knot.conf" & echo $! > "$work/knotd.pid"
  local _
  for _ in $(seq 50); do
    kdig @127.0.0.1 -p "$port" +short +timeout=1 +retry=0 ns1.example.test A >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "knotd did not start" >&2
  return 1
}
