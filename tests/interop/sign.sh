#!/usr/bin/env bash
# A private signed hierarchy for the DNSSEC interop checks (tests/interop/dnssec.py),
# signed with BIND's dnssec-keygen and dnssec-signzone: a signed root, test. under it,
# and under test. one zone per case:
#   secure.test.   ECDSA P-256, NSEC; a wildcard, a DNAME onto itself, a CNAME into
#                  ed.test. (secure) and one into plain.test. (insecure)
#   rsa.test., rsa512.test., p384.test., ed.test.   RSA/SHA-256 and SHA-512, ECDSA P-384, Ed25519
#   sha1.test.     RSA/SHA-1 (algorithm 5), which dnscope does not verify
#   nsec3.test.    NSEC3 with a salt, and an unsigned delegation sub.nsec3.test.
#   optout.test.   NSEC3 opt-out, and an unsigned delegation sub.optout.test.
#   roll.test.     a KSK rollover: two KSKs; test. has the DS of the newer
#   plain.test.    unsigned (NSEC proves the DS absent)
#   stale.test.    signatures that expired a year ago          (bogus)
#   future.test.   signatures valid only from three days on     (bogus)
#   wrongds.test.  signed, but test. publishes the DS of another key (bogus)
# Writes into DIR the zone files (NAME.zone.signed), the root hints, and the root's DS as
# an anchor for dnscope and unbound (anchor) and for delv (anchor.delv).
#
#   bash tests/interop/sign.sh DIR ROOT_ADDR TLD_ADDR AUTH_ADDR
set -euo pipefail
dir=$1 root=$2 tld=$3 auth=$4
mkdir -p "$dir" && cd "$dir"
now=$(date -u +%s)
at() { date -u -d "@$1" +%Y%m%d%H%M%S; }
ok=(-s "$(at $((now - 86400)))" -e "$(at $((now + 30 * 86400)))")
# -P: a zone whose signatures are meant to be out of their window cannot be verified.
expired=(-P -s "$(at $((now - 366 * 86400)))" -e "$(at $((now - 365 * 86400)))")
# Three days ahead: past unbound's allowance for a skewed clock (at most a day).
future=(-P -s "$(at $((now + 3 * 86400)))" -e "$(at $((now + 30 * 86400)))")

zone() { # ZONE BODY: writes ZONE's unsigned file, SOA and NS first
  local name=${1%.}; [ "$1" = . ] && name=root
  printf '$TTL 300\n%s 3600 IN SOA ns.%s hostmaster.%s 1 7200 3600 1209600 300\n%b' \
    "$1" "${1#.}" "${1#.}" "$2" > "$name.zone"
}
keys() { # ZONE ALGORITHM: a KSK and a ZSK, active since 1970 (any window may be signed)
  local bits=()
  case $2 in RSA*) bits=(-b 2048) ;; esac
  dnssec-keygen -q -a "$2" "${bits[@]}" -P 19700101000000 -A 19700101000000 -f KSK "$1"
  dnssec-keygen -q -a "$2" "${bits[@]}" -P 19700101000000 -A 19700101000000 "$1" > /dev/null
}
sign() { # ZONE ALGORITHM SIGNZONE-OPTIONS...: signs ZONE's file, prints its DS
  local zone=$1 algorithm=$2 name=${1%.}; shift 2
  [ "$zone" = . ] && name=root
  local ksk
  ksk=$(keys "$zone" "$algorithm")
  local prefix=K$zone
  [ "$zone" = . ] && prefix=K.
  cat "$prefix"+*.key >> "$name.zone"
  dnssec-signzone -q "$@" -o "$zone" -O full -f "$name.zone.signed" "$name.zone" > /dev/null
  dnssec-dsfromkey -2 "$ksk.key"
}
leaf() { # ZONE EXTRA-RECORDS: a zone with its NS, its server and www
  zone "$1" "$1 3600 IN NS ns.$1\nns.$1 3600 IN A $auth\nwww.$1 IN A 192.0.2.1\n$2"
}

parent_ds=()
leaf secure.test. "*.wild.secure.test. IN TXT \"wildcard\"\nalias.secure.test. IN CNAME www.ed.test.\ncdn.secure.test. IN CNAME www.plain.test.\nmoved.secure.test. IN DNAME secure.test.\n"
parent_ds+=("$(sign secure.test. ECDSAP256SHA256 "${ok[@]}")")
for pair in rsa:RSASHA256 rsa512:RSASHA512 p384:ECDSAP384SHA384 ed:ED25519 sha1:RSASHA1; do
  leaf "${pair%%:*}.test." ""
  parent_ds+=("$(sign "${pair%%:*}.test." "${pair#*:}" "${ok[@]}")")
done
leaf nsec3.test. "sub.nsec3.test. 3600 IN NS ns.sub.nsec3.test.\nns.sub.nsec3.test. 3600 IN A $auth\n"
parent_ds+=("$(sign nsec3.test. ECDSAP256SHA256 -3 AB12CD -H 0 "${ok[@]}")")
leaf optout.test. "sub.optout.test. 3600 IN NS ns.sub.optout.test.\nns.sub.optout.test. 3600 IN A $auth\n"
parent_ds+=("$(sign optout.test. ECDSAP256SHA256 -3 - -H 0 -A "${ok[@]}")")
# A KSK rollover: the old keys stay published and signing next to the new ones, and
# test. has the DS of the new KSK only.
leaf roll.test. ""
keys roll.test. ECDSAP256SHA256 > /dev/null
parent_ds+=("$(sign roll.test. ECDSAP256SHA256 "${ok[@]}")")
# Signed zones edited after signing, each the way a broken signer or an attacker would:
#   tamper.test.   www's address changed under its signature
#   nosig.test.    www's A without its RRSIG
#   zsk.test.      the DNSKEY RRset signed only by the ZSK, which the DS does not name
#   noproof.test.  no NSEC at all: its NXDOMAIN and its wildcard answers prove nothing
edit() { # ZONE AWK-PROGRAM: rewrites the signed file of ZONE through awk
  awk "$2" "${1%.}.zone.signed" > "${1%.}.zone.edited" && mv "${1%.}.zone.edited" "${1%.}.zone.signed"
}
for broken in tamper nosig zsk; do
  leaf "$broken.test." ""
  ds=$(sign "$broken.test." ECDSAP256SHA256 "${ok[@]}")
  parent_ds+=("$ds")
done
leaf noproof.test. "*.wild.noproof.test. IN TXT \"wildcard\"\n"
parent_ds+=("$(sign noproof.test. ECDSAP256SHA256 "${ok[@]}")")
edit tamper.test. '$1 == "www.tamper.test." && $4 == "A" { $5 = "192.0.2.66" } { print }'
edit nosig.test. '!($1 == "www.nosig.test." && $4 == "RRSIG" && $5 == "A")'
# zsk.test.'s DS, second to last: its key tag is the KSK's.
ksk_tag=$(awk '{ print $4 }' <<< "${parent_ds[-2]}")
edit zsk.test. '!($4 == "RRSIG" && $5 == "DNSKEY" && $11 == "'"$ksk_tag"'")'
edit noproof.test. '!($4 == "NSEC" || ($4 == "RRSIG" && $5 == "NSEC"))'
leaf stale.test. ""
parent_ds+=("$(sign stale.test. ECDSAP256SHA256 "${expired[@]}")")
leaf future.test. ""
parent_ds+=("$(sign future.test. ECDSAP256SHA256 "${future[@]}")")
leaf wrongds.test. ""
sign wrongds.test. ECDSAP256SHA256 "${ok[@]}" > /dev/null
# The DS test. publishes for wrongds.test. names a key the zone does not hold.
mkdir -p other && parent_ds+=("$(cd other && dnssec-dsfromkey -2 "$(keys wrongds.test. ECDSAP256SHA256).key")")
for unsigned in plain.test. sub.nsec3.test. sub.optout.test.; do
  leaf "$unsigned" ""
  cp "${unsigned%.}.zone" "${unsigned%.}.zone.signed"
done

body="test. 3600 IN NS ns.test.\nns.test. 3600 IN A $tld\n"
for child in secure rsa rsa512 p384 ed sha1 nsec3 optout roll tamper nosig zsk noproof plain stale future wrongds; do
  body+="$child.test. 3600 IN NS ns.$child.test.\nns.$child.test. 3600 IN A $auth\n"
done
zone test. "$body"
printf '%s\n' "${parent_ds[@]}" >> test.zone
test_ds=$(sign test. ECDSAP256SHA256 "${ok[@]}")
zone . ". 3600 IN NS a.root.private.\na.root.private. 3600 IN A $root\ntest. 3600 IN NS ns.test.\nns.test. 3600 IN A $tld\n$test_ds\n"
root_ds=$(sign . ECDSAP256SHA256 "${ok[@]}")
printf '. 3600000 NS a.root.private.\na.root.private. 3600000 A %s\n' "$root" > hints
printf '%s\n' "$root_ds" > anchor
# delv's form: trust-anchors { NAME static-ds TAG ALG TYPE "HEX"; };
read -r _ _ _ tag alg digest hex <<< "$root_ds"
printf 'trust-anchors {\n  . static-ds %s %s %s "%s";\n};\n' "$tag" "$alg" "$digest" "$hex" > anchor.delv
