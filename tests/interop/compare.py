"""Compares dnscope with kdig (direct queries) and with unbound (+trace), on the
interop hierarchy that run.sh starts. Prints one line per check and a closing
'N passed, N failed' line; exits 1 when a check fails."""

import json
import os
import subprocess
import sys

DNSCOPE = os.environ["DNSCOPE"]
HINTS = os.environ["HINTS"]
RESOLV = "/etc/resolv.conf"  # the namespace's own, naming unbound

DIRECT = [
    ("127.0.1.1", ".", "NS"),
    ("127.0.1.1", ".", "SOA"),
    ("127.0.1.1", "www.palette.com.", "A"),  # referral to com.
    ("127.0.1.1", "nope.interop.", "A"),  # NXDOMAIN
    ("127.0.1.2", "com.", "SOA"),
    ("127.0.1.2", "www.palette.com.", "A"),  # glueless referral
    ("127.0.1.2", "bucket.s3-website-us-east-1.amazonaws.com.", "A"),  # referral with glue
    ("127.0.1.10", "palette.com.", "A"),
    ("127.0.1.10", "palette.com.", "AAAA"),
    ("127.0.1.10", "palette.com.", "MX"),
    ("127.0.1.10", "palette.com.", "TXT"),
    ("127.0.1.10", "palette.com.", "CAA"),
    ("127.0.1.10", "palette.com.", "NS"),
    ("127.0.1.10", "palette.com.", "SOA"),
    ("127.0.1.10", "www.palette.com.", "A"),  # CNAME out of zone
    ("127.0.1.10", "alias.palette.com.", "A"),  # CNAME chain
    ("127.0.1.10", "static.palette.com.", "CNAME"),
    ("127.0.1.10", "_sip._tcp.palette.com.", "SRV"),
    ("127.0.1.10", "nope.palette.com.", "A"),  # NXDOMAIN
    ("127.0.1.10", "sip.palette.com.", "TXT"),  # NODATA
    ("127.0.1.10", "big.palette.com.", "TXT"),  # too large for UDP
    ("127.0.1.11", "ns-1.awsdns-01.org.", "A"),
    ("127.0.1.20", "d111abcdef8.cloudfront.net.", "A"),
    ("127.0.1.20", "d111abcdef8.cloudfront.net.", "AAAA"),
    ("127.0.1.20", "cloudfront.net.", "SOA"),
    ("127.0.1.20", "bucket.s3-website-us-east-1.amazonaws.com.", "A"),  # BIND referral
]

TRACE = [
    ("www.palette.com.", "A"),  # Route 53 glueless NS, CNAME to CloudFront
    ("www.palette.com.", "AAAA"),
    ("alias.palette.com.", "A"),
    ("static.palette.com.", "A"),  # CNAME to an S3 website endpoint
    ("palette.com.", "MX"),
    ("palette.com.", "TXT"),
    ("nope.palette.com.", "A"),
    ("sip.palette.com.", "TXT"),
    ("d111abcdef8.cloudfront.net.", "AAAA"),
    ("bucket.s3-website-us-east-1.amazonaws.com.", "A"),
]

SCHEMA_KEYS = {"schema_version", "mode", "query", "server", "rtt_us", "when", "status", "exit_code",
               "response", "attempts", "ignored", "error", "expectations"}


def run(args):
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    return done.stdout


def dnscope(*args):
    return json.loads(run([DNSCOPE, "--resolv-conf", RESOLV, "--json", *args]).splitlines()[0])


def normal(rtype, rdata):
    text = " ".join(rdata.split())
    return text if rtype in ("TXT", "CAA") else text.lower()


def ours(doc):
    response = doc["response"]
    return {
        (r["name"].lower(), r["type"], r["ttl"], normal(r["type"], r["data"]))
        for section in ("answer", "authority", "additional")
        for r in response[section]
    }


def kdig(server, name, rtype):
    doc = json.loads(run(["kdig", f"@{server}", "+json", "+timeout=3", name, rtype]))
    records = set()
    for section in ("answerRRs", "authorityRRs", "additionalRRs"):
        for r in doc.get(section, []):
            if r["TYPE"] == 41:  # OPT is not a record
                continue
            rtype_name = r.get("TYPEname", f"TYPE{r['TYPE']}")
            data = r.get(f"rdata{rtype_name}", "")
            records.add((r["NAME"].lower(), rtype_name, r["TTL"], normal(rtype_name, data)))
    return doc["RCODE"], records


def main():
    passed = failed = 0

    def check(ok, label, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"ok   {label}")
        else:
            failed += 1
            print(f"FAIL {label}\n     {detail}")

    for server, name, rtype in DIRECT:
        doc = dnscope(f"@{server}", name, rtype)
        check(SCHEMA_KEYS <= doc.keys() and doc["schema_version"] == 1, f"schema {name} {rtype}", sorted(doc.keys()))
        rcode, theirs = kdig(server, name, rtype)
        mine = ours(doc)
        same = rcode == doc["response"]["header"]["rcode_code"] and mine == theirs
        check(same, f"direct @{server} {name} {rtype} ({len(mine)} records)",
              f"rcode {doc['response']['header']['rcode_code']} vs kdig {rcode}; only dnscope: {sorted(mine - theirs)}; only kdig: {sorted(theirs - mine)}")

    for name, rtype in TRACE:
        trace = dnscope("+trace", "--root-hints", HINTS, "--timeout", "2s", name, rtype)
        resolver = dnscope("@127.0.1.53", "--timeout", "3s", name, rtype)
        walked = {(r["type"], normal(r["type"], r["data"])) for r in trace["answer"]}
        resolved = {(r["type"], normal(r["type"], r["data"])) for r in resolver["response"]["answer"] if r["type"] == rtype}
        same = trace["status"] == resolver["status"] and walked == resolved
        check(same, f"trace {name} {rtype} = unbound ({trace['status']}, {len(walked)} records)",
              f"trace {trace['status']} {sorted(walked)} ({trace['outcome']['message']}); unbound {resolver['status']} {sorted(resolved)}")

    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
