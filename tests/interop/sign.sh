#!/usr/bin/env bash
# A private signed hierarchy for the DNSSEC interop checks, signed with BIND's
# dnssec-keygen and dnssec-signzone (ECDSA P-256, NSEC): a signed root, test. under it,
# and under test. secure.test. (signed), plain.test. (unsigned: NSEC proves no DS) and
# stale.test. (signed, signatures expired a year ago: bogus). Writes into DIR the zone
# files, the root hints, and the root's DS as a dnscope/unbound anchor and a delv one.
#
#   bash tests/interop/sign.sh DIR ROOT_ADDR TLD_ADDR AUTH_ADDR
set -euo pipefail
dir=$1 root=$2 tld=$3 auth=$4
mkdir -p "$dir" && cd "$dir"
now=$(date -u +%s)
window() { date -u -d "@$1" +%Y%m%d%H%M%S; }
ok=(-s "$(window $((now - 86400)))" -e "$(window $((now + 30 * 86400)))")
# -P: the signed zone is not verified, as its signatures are meant to be expired.
old=(-P -s "$(window $((now - 366 * 86400)))" -e "$(window $((now - 365 * 86400)))")
zone() { # ZONE NS-ADDRESS BODY
  local name=${1%.}; [ "$1" = . ] && name=root
  printf '$TTL 300\n%s 3600 IN SOA ns.%s hostmaster.%s 1 7200 3600 1209600 300\n%s' \
    "$1" "${1#.}" "${1#.}" "$3" > "$name.zone"
}
sign() { # ZONE WINDOW...: signs ZONE's file, prints its DS
  local zone=$1 name=${1%.}; shift
  [ "$zone" = . ] && name=root
  # Published and active since 1970, so that a signing window in the past is allowed.
  dnssec-keygen -q -a ECDSAP256SHA256 -P 19700101000000 -A 19700101000000 -f KSK "$zone" > "$name.ksk"
  dnssec-keygen -q -a ECDSAP256SHA256 -P 19700101000000 -A 19700101000000 "$zone" > "$name.zsk"
  cat "$(cat "$name.ksk").key" "$(cat "$name.zsk").key" >> "$name.zone"
  dnssec-signzone -q "$@" -o "$zone" -O full -f "$name.zone.signed" "$name.zone" > /dev/null
  dnssec-dsfromkey -2 "$(cat "$name.ksk").key"
}
zone secure.test. "" "secure.test. 3600 IN NS ns.secure.test.\nns.secure.test. 3600 IN A $auth\nwww.secure.test. IN A 192.0.2.1\n"
zone plain.test. "" "plain.test. 3600 IN NS ns.plain.test.\nns.plain.test. 3600 IN A $auth\nwww.plain.test. IN A 192.0.2.2\n"
zone stale.test. "" "stale.test. 3600 IN NS ns.stale.test.\nns.stale.test. 3600 IN A $auth\nwww.stale.test. IN A 192.0.2.3\n"
printf "%b" "$(cat secure.test.zone)" > secure.test.zone
printf "%b" "$(cat plain.test.zone)" > plain.test.zone
printf "%b" "$(cat stale.test.zone)" > stale.test.zone
ds_secure=$(sign secure.test. "${ok[@]}")
ds_stale=$(sign stale.test. "${old[@]}")
cp plain.test.zone plain.test.zone.signed
zone test. "" "test. 3600 IN NS ns.test.\nns.test. 3600 IN A $tld\n\
secure.test. 3600 IN NS ns.secure.test.\nns.secure.test. 3600 IN A $auth\n\
plain.test. 3600 IN NS ns.plain.test.\nns.plain.test. 3600 IN A $auth\n\
stale.test. 3600 IN NS ns.stale.test.\nns.stale.test. 3600 IN A $auth\n"
printf "%b" "$(cat test.zone)" > test.zone
printf '%s\n%s\n' "$ds_secure" "$ds_stale" >> test.zone
ds_test=$(sign test. "${ok[@]}")
zone . "" ". 3600 IN NS a.root.private.\na.root.private. 3600 IN A $root\ntest. 3600 IN NS ns.test.\nns.test. 3600 IN A $tld\n"
printf "%b" "$(cat root.zone)" > root.zone
printf '%s\n' "$ds_test" >> root.zone
ds_root=$(sign . "${ok[@]}")
printf '. 3600000 NS a.root.private.\na.root.private. 3600000 A %s\n' "$root" > hints
printf '%s\n' "$ds_root" > anchor
# delv's form: trust-anchors { NAME static-ds TAG ALG TYPE "HEX"; };
read -r _ _ _ tag alg digest hex <<< "$ds_root"
printf 'trust-anchors {\n  . static-ds %s %s %s "%s";\n};\n' "$tag" "$alg" "$digest" "$hex" > anchor.delv
