"""Compares dnscope with kdig (direct queries) and with unbound (+trace), on the
interop hierarchy that run.sh starts. Prints one line per check and a closing
'N passed, N failed' line; exits 1 when a check fails."""

import json
import os
import subprocess

from checks import Checks

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
    ("127.0.1.20", "faulty.com.", "SOA"),  # the stale secondary's older serial
    ("127.0.1.10", "faulty.com.", "SOA"),
    ("127.0.1.2", "www.faulty.com.", "A"),  # the parent's NS set
    ("127.0.1.10", "faulty.com.", "NS"),  # the child's, which differs
]

# DNSSEC types from the zone Knot signs, with DO set on both sides.
DNSSEC = [
    ("127.0.1.10", "secure.com.", "DNSKEY"),
    ("127.0.1.10", "www.secure.com.", "A"),  # A and its RRSIG
    ("127.0.1.10", "secure.com.", "MX"),
    ("127.0.1.10", "nope.secure.com.", "A"),  # NXDOMAIN with NSEC and RRSIGs
    ("127.0.1.10", "secure.com.", "NSEC"),
    ("127.0.1.10", "secure.com.", "SOA"),
]

# Servers that fail: the lame one refuses faulty.com., the silent one never answers.
FAILING = [
    ("127.0.1.30", "faulty.com.", "SOA"),
    ("127.0.1.31", "faulty.com.", "SOA"),
    ("127.0.1.30", "lame.interop.", "SOA"),  # what it does serve
]

# Names behind a lame server, a silent one, a stale secondary and a parent/child NS
# mismatch: +trace must reach unbound's answer in every one of REPEATS runs.
FAULTS = [
    ("www.faulty.com.", "A"),
    ("www.faulty.com.", "AAAA"),
    ("cdn.faulty.com.", "A"),
]
REPEATS = int(os.environ.get("REPEATS", "10"))

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
QUERY_KEYS = {"name", "type", "type_code", "class", "flags", "edns"}
SERVER_KEYS = {"address", "port", "protocol", "name"}
RESPONSE_KEYS = {"size", "header", "edns", "question", "answer", "authority", "additional"}
HEADER_KEYS = {"id", "opcode", "rcode", "rcode_code", "flags"}
RECORD_KEYS = {"name", "ttl", "class", "type", "type_code", "data", "rdata"}


def documented(doc):
    """Whether a query object has every field the README documents, with its JSON type."""
    response = doc["response"]
    records = [r for section in ("answer", "authority", "additional") for r in response[section]]
    return (SCHEMA_KEYS <= doc.keys() and doc["schema_version"] == 1 and doc["mode"] == "query"
            and QUERY_KEYS <= doc["query"].keys() and SERVER_KEYS <= doc["server"].keys()
            and isinstance(doc["rtt_us"], int) and RESPONSE_KEYS <= response.keys()
            and HEADER_KEYS <= response["header"].keys()
            and all(RECORD_KEYS <= r.keys() and isinstance(r["ttl"], int) and isinstance(r["rdata"], dict)
                    for r in records))


def run(args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def dnscope_exit(*args):
    """dnscope's JSON document and the exit code of its process, which must agree."""
    done = run([DNSCOPE, "--resolv-conf", RESOLV, "--json", *args])
    doc = json.loads(done.stdout.splitlines()[0])
    return doc, done.returncode


def dnscope(*args):
    return dnscope_exit(*args)[0]


def exit_for(rcode, owners, name):
    """The exit code the README's table gives for a reply another client saw: `rcode`
    None when it saw no reply, `owners` the names in its answer section."""
    if rcode is None:
        return 9
    if rcode == 0:
        # An answer section with the name's records (a CNAME into another zone counts)
        # is an answer; an empty one, or a referral, proves only that nothing is here.
        return 0 if name.lower() in owners else 4
    return 3 if rcode == 3 else 5


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


def kdig(server, name, rtype, *flags):
    """kdig's rcode (None when no reply came), every record it printed, and the owner
    names of its answer section."""
    out = run(["kdig", f"@{server}", "+json", "+timeout=1", "+retry=0", *flags, name, rtype]).stdout
    if not out.strip():
        return None, set(), set()
    doc = json.loads(out)
    if "RCODE" not in doc:  # kdig prints its query alone when no reply came
        return None, set(), set()
    owners = {r["NAME"].lower() for r in doc.get("answerRRs", [])}
    records = set()
    for section in ("answerRRs", "authorityRRs", "additionalRRs"):
        for r in doc.get(section, []):
            if r["TYPE"] == 41:  # OPT is not a record
                continue
            rtype_name = r.get("TYPEname", f"TYPE{r['TYPE']}")
            data = r.get(f"rdata{rtype_name}", "")
            records.add((r["NAME"].lower(), rtype_name, r["TTL"], normal(rtype_name, data)))
    return doc["RCODE"], records, owners


def main():
    check = Checks()

    def exit_matches(label, doc, code, expected):
        check(code == expected == doc["exit_code"], f"{label}: exit {code}",
              f"process exit {code}, JSON exit_code {doc['exit_code']}, expected {expected} ({doc['status']})")

    def direct(server, name, rtype, ours_flags=(), kdig_flags=()):
        doc, code = dnscope_exit(f"@{server}", *ours_flags, name, rtype)
        check(documented(doc), f"schema {name} {rtype}", json.dumps(doc)[:400])
        rcode, theirs, owners = kdig(server, name, rtype, *kdig_flags)
        mine = ours(doc)
        same = rcode == doc["response"]["header"]["rcode_code"] and mine == theirs
        label = f"direct @{server} {' '.join(ours_flags)} {name} {rtype} ({len(mine)} records)".replace("  ", " ")
        check(same, label,
              f"rcode {doc['response']['header']['rcode_code']} vs kdig {rcode}; only dnscope: {sorted(mine - theirs)}; only kdig: {sorted(theirs - mine)}")
        exit_matches(label, doc, code, exit_for(rcode, owners, name))
        return mine

    def failing(server, name, rtype):
        """A server that refuses or never answers: the exit code follows from what kdig saw."""
        doc, code = dnscope_exit(f"@{server}", "--timeout", "500ms", "--tries", "1", name, rtype)
        rcode, _, owners = kdig(server, name, rtype)
        exit_matches(f"failing @{server} {name} {rtype} (kdig rcode {rcode})", doc, code,
                     exit_for(rcode, owners, name))

    for server, name, rtype in DIRECT:
        direct(server, name, rtype)
    for server, name, rtype in DNSSEC:
        records = direct(server, name, rtype, ("+dnssec",), ("+dnssec",))
        check(any(r[1] == "RRSIG" for r in records), f"signed {name} {rtype} carries RRSIGs")
    for server, name, rtype in FAILING:
        failing(server, name, rtype)

    def trace_matches(name, rtype, timeout, label):
        trace, code = dnscope_exit("+trace", "--root-hints", HINTS, "--timeout", timeout, name, rtype)
        if name.endswith("faulty.com."):
            failed = [a["outcome"] for h in trace["hops"] if h["zone"] == "faulty.com." for a in h["attempts"]]
            check(any("REFUSED" in f for f in failed) and any(f == "timed out" or f.startswith("no reply within") for f in failed),
                  f"{label} {name} {rtype} met the lame and the silent server",
                  f"attempts {failed}; referral order {[n['data'] for h in trace['hops'] if h['referral'] and h['referral']['zone'] == 'faulty.com.' for n in h['referral']['ns']]}; answered by {[h['server'] for h in trace['hops'] if h['zone'] == 'faulty.com.']}")
        resolver = dnscope("@127.0.1.53", "--timeout", "3s", name, rtype)
        walked = {(r["type"], normal(r["type"], r["data"])) for r in trace["answer"]}
        resolved = {(r["type"], normal(r["type"], r["data"])) for r in resolver["response"]["answer"] if r["type"] == rtype}
        same = trace["status"] == resolver["status"] and walked == resolved
        check(same, f"{label} {name} {rtype} = unbound ({trace['status']}, {len(walked)} records)",
              f"trace {trace['status']} {sorted(walked)} ({trace['outcome']['message']}); unbound {resolver['status']} {sorted(resolved)}")
        rcode = resolver["response"]["header"]["rcode_code"]
        owners = {r["name"].lower() for r in resolver["response"]["answer"]}
        exit_matches(f"{label} {name} {rtype}", trace, code, exit_for(rcode, owners, name))

    for name, rtype in TRACE:
        trace_matches(name, rtype, "2s", "trace")
    for run_number in range(1, REPEATS + 1):
        for name, rtype in FAULTS:
            trace_matches(name, rtype, "500ms", f"fault run {run_number}:")

    # +nsall against real servers: the lame NSD refuses, the silent one times out, and the
    # stale BIND secondary and Knot both answer, each shown in its own row.
    trace, code = dnscope_exit("+trace", "+nsall", "--root-hints", HINTS, "--timeout", "500ms", "www.faulty.com.", "A")
    rows = {row["server"]["name"]: row["outcome"] for h in trace["hops"] if h["zone"] == "faulty.com." for row in h.get("servers", [])}
    codes = [f["code"] for f in trace["findings"] if f["zone"] == "faulty.com."]
    # Every server of the suite sits in 127.0.1.0/24 and most zones have one: an
    # ns_diversity warning is true of every zone here, and the only finding elsewhere.
    elsewhere = sorted({f["code"] for f in trace["findings"] if f["zone"] != "faulty.com."})
    check(code == 8 and codes == ["lame_delegation", "unreachable_server", "ns_differs", "serial_differs",
                                  "ns_diversity", "glue_mismatch", "glue_mismatch"] and elsewhere == ["ns_diversity"],
          "+nsall www.faulty.com. A: a lame and an unreachable server, the parent/child NS mismatch, the stale BIND secondary, and the glue for ns1/ns2 that the zone does not know, exit 8",
          f"exit {code}: {codes}, elsewhere {elsewhere}")
    check(rows == {"ns1.faulty.com.": "REFUSED", "ns2.faulty.com.": "timed out",
                                 "ns3.faulty.com.": "answer", "ns4.faulty.com.": "answer"},
          "+nsall www.faulty.com. A: every server of faulty.com. in its own row", f"exit {code}: {rows}")
    healthy, code = dnscope_exit("+trace", "+nsall", "--root-hints", HINTS, "--timeout", "2s", "www.palette.com.", "A")
    others = [(f["code"], f["zone"]) for f in healthy["findings"] if f["code"] != "ns_diversity"]
    check(code == 0 and others == [], "+nsall www.palette.com. A: no finding for a healthy chain but the suite's one /24",
          f"exit {code}: {others}")

    # +nssearch against dig +nssearch (which finds the zone's servers through unbound):
    # every server that gave the SOA, with the serial it holds. unbound takes the child's
    # NS set (ns3-ns5) and dnscope the parent's (ns1-ns4), so the lame and the silent
    # server are dnscope's alone; the servers that answer are the same two.
    def soa_lines(text):
        found = set()
        for line in text.splitlines():
            words = line.split()
            if words[:1] == ["SOA"] and "from" in words:
                found.add((words[words.index("server") + 1], int(words[3])))
        return found

    done = run([DNSCOPE, "--resolv-conf", RESOLV, "+nssearch", "--root-hints", HINTS, "--timeout", "500ms", "faulty.com."])
    theirs = soa_lines(run(["dig", "+nssearch", "+time=1", "+tries=1", "faulty.com."]).stdout)
    mine = soa_lines(done.stdout)
    check(mine == theirs and len({serial for _, serial in mine}) == 2 and "serial_differs" in done.stdout,
          "+nssearch faulty.com.: the same servers and serials as dig +nssearch, the stale secondary told",
          f"dnscope {sorted(mine)}; dig {sorted(theirs)}\n{done.stdout}")
    check(done.returncode == 8, "+nssearch faulty.com.: exit 8 for the lame and the silent server",
          f"exit {done.returncode}")
    check.finish()


main()
