#!/usr/bin/env bash
# Interop suite: a DNS hierarchy served by real software (NSD for the root and the TLDs,
# Knot for a Route 53-style site, its name servers and an S3-style endpoint, BIND for a
# CloudFront-like and an amazonaws-like zone) and an unbound resolver with the same root
# hints, all on port 53 inside a private network and mount namespace. dnscope's direct
# answers are compared with kdig's, and its +trace answers with unbound's.
#
#   bash tests/interop/run.sh          # installs what is missing (Debian packages), then runs
#   bash tests/interop/run.sh bench R,T,A   # instead: the benchmark (benches/interop.sh), every
#                                           # server delayed R/T/A ms (root, TLD, authoritative)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/benches/common.sh"

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  # The servers and tools of the suite and of its benchmark, so a fresh machine has all.
  ensure_tools nsd:nsd knotd:knot named:bind9 unbound:unbound kdig:knot-dnsutils python3:python3 ip:iproute2 \
    dnssec-signzone:bind9-utils delv:bind9-dnsutils \
    drill:ldnsutils dig:bind9-dnsutils dnsperf:dnsperf hyperfine:hyperfine /usr/bin/time:time
  for tool in nsd knotd named unbound kdig drill dig delv dnssec-signzone dnsperf hyperfine python3; do
    command -v "$tool" >/dev/null || { echo "interop: $tool is missing and could not be installed" >&2; exit 1; }
  done
  (cd "$root" && cargo build --locked -q && cargo build --locked -q --example certs \
    && { [ "${1:-}" != bench ] || cargo build --release --locked -q; })
  RUNS="${RUNS:-10}" enter_private_network "$0" "$@"
fi

private_setup
echo "nameserver 127.0.1.53" > "$work/resolv.conf"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  private_cleanup
}
trap stop_all EXIT
zones="$here/zones"
# The servers' own addresses. In bench mode they move to 127.0.2.x and delaying relays
# take their place on the 127.0.1.x addresses the zones name.
srv=127.0.1
[ "${1:-}" = bench ] && srv=127.0.2
# BIND listens only on addresses that an interface carries.
ip addr add $srv.20/32 dev lo

# DNS over TLS (tests/interop/dot.py): certificates from a test CA (examples/certs.rs) for
# BIND and unbound, and expired, wrong-name and self-signed ones for BIND's other ports.
"$root/target/debug/examples/certs" "$work/tls" dns.interop 127.0.1.20 127.0.1.53
# Zone transfers (tests/interop/xfr.py): the TSIG keys the servers know, and which zone
# each server gives to whom. The secrets are test-only.
XFR_SECRET_256=$(printf 'dnscope interop transfer key 256' | base64)
XFR_SECRET_224=$(printf 'dnscope interop transfer key 224' | base64)
declare -A nsd_provide=(
  [types.com.]="127.0.0.0/8 NOKEY"
  [lame.interop.]="127.0.0.0/8 xfr-key"
  [bulk.interop.]="127.0.0.0/8 xfr-key"
)
# A zone of 5000 records: a transfer of many messages, signed by TSIG, from each server.
{
  printf '$ORIGIN bulk.interop.\n$TTL 300\n@ IN SOA ns hostmaster 1 1800 900 604800 300\n@ IN NS ns\nns IN A 127.0.1.32\n'
  for i in $(seq 5000); do printf 'host%d IN A 10.%d.%d.%d\n' "$i" $((i / 65536)) $((i / 256 % 256)) $((i % 256)); done
} > "$work/bulk.interop.zone"
# A zone BIND takes dynamic updates for, to serve an IXFR of a known change.
printf '$ORIGIN dyn.com.\n$TTL 300\n@ IN SOA ns hostmaster 1 1800 900 604800 300\n@ IN NS ns\nns IN A 127.0.1.20\nwww IN A 192.0.2.1\n' > "$work/dyn.com.zone"

nsd_instance() { # NAME ADDRESS ZONE...  (ZONESDIR and SUFFIX override where the files are)
  local name=$1 address=$2; shift 2
  local dir=${ZONESDIR:-$zones} suffix=${SUFFIX:-.zone}
  local conf="$work/$name.conf"
  printf 'server:\n  ip-address: %s\n  port: 53\n  zonesdir: "%s"\n  pidfile: "%s/%s.pid"\n  zonelistfile: "%s/%s.zonelist"\n  xfrdfile: "%s/%s.xfrd"\n  database: ""\n  username: ""\n  chroot: ""\n  verbosity: 0\nremote-control:\n  control-enable: no\n' \
    "$address" "$dir" "$work" "$name" "$work" "$name" "$work" "$name" > "$conf"
  printf 'key:\n  name: "xfr-key"\n  algorithm: hmac-sha256\n  secret: "%s"\n' "$XFR_SECRET_256" >> "$conf"
  local zone
  for zone in "$@"; do
    local file=${zone%.}; [ "$zone" = . ] && file=root
    printf 'zone:\n  name: "%s"\n  zonefile: "%s%s"\n' "$zone" "$file" "$suffix" >> "$conf"
    if [ -n "${nsd_provide[$zone]:-}" ]; then
      printf '  provide-xfr: %s\n' "${nsd_provide[$zone]}" >> "$conf"
    fi
  done
  nsd -d -c "$conf" 2>>"$work/$name.log" & pids+=($!)
}
nsd_instance nsd-root $srv.1 .
nsd_instance nsd-tld $srv.2 com. net. org.
# faulty.com.'s lame name server: it serves other zones (lame.interop., and types.com., the
# zone of every record type) and refuses faulty.com.
nsd_instance nsd-lame $srv.30 lame.interop. types.com.
ZONESDIR="$work" nsd_instance nsd-bulk $srv.32 bulk.interop.

mkdir -p "$work/knot-db"
{
  printf 'server:\n  rundir: "%s"\n  listen: [ %s.10@53, %s.11@53, %s.12@53 ]\n' "$work" $srv $srv $srv
  # secure3.com. is signed with NSEC3 (RFC 5155): salted, no extra iterations.
  printf 'policy:\n  - id: nsec3\n    nsec3: on\n    nsec3-iterations: 0\n    nsec3-salt-length: 8\n'
  printf 'key:\n  - id: xfr-key\n    algorithm: hmac-sha256\n    secret: %s\n' "$XFR_SECRET_256"
  # palette.com. to anyone on loopback; types.com. and bulk.interop. only with the key.
  printf 'acl:\n  - id: open-transfer\n    address: 127.0.0.0/8\n    action: transfer\n  - id: keyed-transfer\n    key: xfr-key\n    action: transfer\n'
  printf 'database:\n  storage: "%s/knot-db"\ntemplate:\n  - id: default\n    storage: "%s"\n    file: "%%s.zone"\n    zonefile-sync: -1\n    journal-content: none\nzone:\n' "$work" "$zones"
  for zone in awsdns-01.org awsdns-02.net s3-website-us-east-1.amazonaws.com faulty.com; do
    printf '  - domain: %s\n' "$zone"
  done
  printf '  - domain: palette.com\n    acl: open-transfer\n'
  printf '  - domain: types.com\n    acl: keyed-transfer\n'
  printf '  - domain: bulk.interop\n    file: "%s/bulk.interop.zone"\n    acl: keyed-transfer\n' "$work"
  # Knot signs this zone itself (its default policy: ECDSA P-256, NSEC).
  printf '  - domain: secure.com\n    dnssec-signing: on\n    journal-content: changes\n'
  printf '  - domain: secure3.com\n    dnssec-signing: on\n    dnssec-policy: nsec3\n    journal-content: changes\n'
  printf 'log:\n  - target: stderr\n    any: error\n'
} > "$work/knot.conf"
knotd -c "$work/knot.conf" 2>>"$work/knot.log" & pids+=($!)

cat > "$work/named.conf" <<CONF
options {
  directory "$work";
  pid-file "$work/named.pid";
  listen-on port 53 { $srv.20; };
  listen-on port 853 tls good { $srv.20; };
  listen-on port 8531 tls expired { $srv.20; };
  listen-on port 8532 tls other { $srv.20; };
  listen-on port 8533 tls self { $srv.20; };
  listen-on port 443 tls good http doh { $srv.20; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  // RFC 8467: pad the replies to padded queries (over TLS), as unbound does by default.
  response-padding { any; } block-size 468;
  // Transfers refused unless a zone says otherwise (amazonaws.com. is the refusing one).
  allow-transfer { none; };
};
tls good { cert-file "$work/tls/good.pem"; key-file "$work/tls/good.key"; };
tls expired { cert-file "$work/tls/expired.pem"; key-file "$work/tls/expired.key"; };
tls other { cert-file "$work/tls/other.pem"; key-file "$work/tls/other.key"; };
tls self { cert-file "$work/tls/self.pem"; key-file "$work/tls/self.key"; };
http doh { endpoints { "/dns-query"; }; };
key "xfr-key" { algorithm hmac-sha224; secret "$XFR_SECRET_224"; };
key "xfr-key-256" { algorithm hmac-sha256; secret "$XFR_SECRET_256"; };
zone "cloudfront.net" { type primary; file "$zones/cloudfront.net.zone"; allow-transfer { any; }; };
zone "amazonaws.com" { type primary; file "$zones/amazonaws.com.zone"; };
// A stale secondary of faulty.com: the same data, an older serial.
zone "faulty.com" { type primary; file "$zones/faulty.com.stale.zone"; };
zone "types.com" { type primary; file "$zones/types.com.zone"; allow-transfer { key xfr-key; }; };
zone "bulk.interop" { type primary; file "$work/bulk.interop.zone"; allow-transfer { key xfr-key-256; }; };
// max-ixfr-ratio: BIND sends a change larger than this share of the zone as a whole
// zone; this zone is tiny, and the test wants the IXFR form.
zone "dyn.com" { type primary; file "$work/dyn.com.zone"; allow-update { any; }; allow-transfer { any; }; max-ixfr-ratio unlimited; };
CONF
named -g -c "$work/named.conf" >>"$work/named.log" 2>&1 & pids+=($!)

unbound_instance() { # NAME ADDRESS HINTS SERVER-LINES: an unbound on ADDRESS, in the foreground
  local name=$1 address=$2 hints=$3 extra=$4
  cat > "$work/$name.conf" <<CONF
server:
  interface: $address
  port: 53
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$work"
  pidfile: "$work/$name.pid"
  root-hints: "$hints"
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  use-syslog: no
  verbosity: 0
$extra
remote-control:
  control-enable: no
CONF
  unbound -d -c "$work/$name.conf" 2>>"$work/$name.log" & pids+=($!)
}
unbound_instance unbound 127.0.1.53 "$here/hints" "  module-config: \"iterator\"
  interface: 127.0.1.53@853
  tls-port: 853
  tls-service-key: \"$work/tls/good.key\"
  tls-service-pem: \"$work/tls/good.pem\""

if [ "${1:-}" != bench ]; then
  # A private signed hierarchy (tests/interop/sign.sh), served by NSD, and an unbound
  # that validates from its root anchor, for the DNSSEC verdicts (tests/interop/dnssec.py).
  signed="$work/signed"
  bash "$here/sign.sh" "$signed" 127.0.1.60 127.0.1.61 127.0.1.62
  ZONESDIR="$signed" SUFFIX=.zone.signed nsd_instance nsd-signed-root 127.0.1.60 .
  ZONESDIR="$signed" SUFFIX=.zone.signed nsd_instance nsd-signed-tld 127.0.1.61 test.
  ZONESDIR="$signed" SUFFIX=.zone.signed nsd_instance nsd-signed-auth 127.0.1.62 secure.test. rsa.test. \
    rsa512.test. p384.test. ed.test. sha1.test. nsec3.test. optout.test. roll.test. tamper.test. nosig.test. zsk.test. noproof.test. \
    plain.test. stale.test. future.test. wrongds.test. \
    sub.nsec3.test. sub.optout.test.
  # test. is one of unbound's built-in empty zones (RFC 6761): ask the hierarchy.
  unbound_instance unbound-validating 127.0.1.54 "$signed/hints" "  trust-anchor-file: \"$signed/anchor\"
  module-config: \"validator iterator\"
  local-zone: \"test.\" nodefault"
fi

# A name server that never answers: it reads every query and drops it.
python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.1.31", 53))
while True:
    s.recv(4096)
' & pids+=($!)

wait_for() { # ADDRESS NAME TYPE
  local _
  for _ in $(seq 100); do
    kdig @"$1" +short +timeout=1 +retry=0 "$2" "$3" 2>/dev/null | grep -q . && return
    sleep 0.1
  done
  echo "interop: no answer from $1 for $2 $3" >&2
  cat "$work"/*.log >&2 || true
  exit 1
}
if [ "${1:-}" = bench ]; then
  IFS=, read -r d_root d_tld d_auth <<< "${2:-10,20,30}"
  relays=("127.0.1.1=$srv.1@$d_root" "127.0.1.2=$srv.2@$d_tld")
  for last in 10 11 12 20 30; do relays+=("127.0.1.$last=$srv.$last@$d_auth"); done
  python3 "$here/relay.py" "${relays[@]}" > "$work/relay.out" 2>&1 & pids+=($!)
  for _ in $(seq 50); do grep -q ready "$work/relay.out" 2>/dev/null && break; sleep 0.1; done
fi
wait_for 127.0.1.1 . SOA
wait_for 127.0.1.2 com. SOA
wait_for 127.0.1.10 palette.com. SOA
wait_for 127.0.1.20 cloudfront.net. SOA
wait_for 127.0.1.53 palette.com. SOA
wait_for 127.0.1.10 secure.com. DNSKEY
wait_for 127.0.1.10 secure3.com. NSEC3PARAM
wait_for 127.0.1.10 types.com. SOA
wait_for 127.0.1.20 types.com. SOA
wait_for 127.0.1.30 types.com. SOA
wait_for 127.0.1.32 bulk.interop. SOA
wait_for 127.0.1.20 dyn.com. SOA
for _ in $(seq 50); do
  kdig @127.0.1.20 +tls +timeout=1 +retry=0 +short cloudfront.net SOA 2>/dev/null | grep -q . \
    && kdig @127.0.1.53 +tls +timeout=1 +retry=0 +short palette.com SOA 2>/dev/null | grep -q . && break
  sleep 0.2
done
wait_for 127.0.1.20 bulk.interop. SOA
wait_for 127.0.1.10 bulk.interop. SOA
if [ "${1:-}" != bench ]; then
  wait_for 127.0.1.60 . SOA
  wait_for 127.0.1.62 secure.test. SOA
  wait_for 127.0.1.54 www.secure.test. A
fi

if [ "${1:-}" = bench ]; then
  DNSCOPE="$root/target/release/dnscope" HINTS="$here/hints" DELAYS="${2:-10,20,30}" python3 "$here/bench.py"
else
  status=0
  DNSCOPE="$root/target/debug/dnscope" HINTS="$here/hints" python3 "$here/compare.py" || status=1
  DNSCOPE="$root/target/debug/dnscope" python3 "$here/types.py" || status=1
  DNSCOPE="$root/target/debug/dnscope" SIGNED="$signed" python3 "$here/dnssec.py" || status=1
  DNSCOPE="$root/target/debug/dnscope" TLS="$work/tls" python3 "$here/dot.py" || status=1
  DNSCOPE="$root/target/debug/dnscope" XFR_SECRET_256="$XFR_SECRET_256" XFR_SECRET_224="$XFR_SECRET_224" \
    WORK="$work" python3 "$here/xfr.py" || status=1
  exit $status
fi
