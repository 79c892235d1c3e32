"""Zone transfers from Knot, BIND and NSD: dnscope's AXFR against dig's and kdig's (each
transfer's records, loaded as a zone by named-checkzone and dumped in canonical form, must
be the same; the record counts equal); TSIG with each server (hmac-sha256, and
hmac-sha224 with BIND, from a key file), a wrong secret (BADSIG) and an unknown key
(BADKEY); refused transfers; an IXFR of a change made with nsupdate, against dig's; and
the secret never printed. Prints one line per check and 'N passed, N failed'."""

import json
import os
import re
import subprocess
import tempfile

from checks import Checks

DNSCOPE = os.environ["DNSCOPE"]
WORK = os.environ["WORK"]
SECRET_256 = os.environ["XFR_SECRET_256"]
SECRET_224 = os.environ["XFR_SECRET_224"]
KEY_256 = f"hmac-sha256:xfr-key:{SECRET_256}"


def run(args, stdin=None):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, input=stdin)


def dnscope(*args):
    return run([DNSCOPE, "--resolv-conf", "/dev/null", "--timeout", "5s", *args])


def canonical(zone, text):
    """The records of a transfer's text output, loaded by named-checkzone and dumped in its
    canonical form: presentation differences between the tools vanish, meaning stays."""
    # dig and kdig print the TSIG pseudo-records of the messages; they are no zone data.
    records = [l for l in text.splitlines() if l.strip() and not l.lstrip().startswith(";")
               and l.split()[3:4] != ["TSIG"]]
    with tempfile.NamedTemporaryFile("w", suffix=".zone", delete=False) as f:
        f.write("\n".join(records) + "\n")
    done = run(["named-checkzone", "-q", "-D", "-o", "-", zone, f.name])
    os.unlink(f.name)
    return done.returncode, sorted(done.stdout.splitlines()), len(records)


def dig_size(text):
    found = re.search(r"XFR size: (\d+) records? \(messages (\d+)", text)
    return (int(found.group(1)), int(found.group(2))) if found else None


def main():
    check = Checks()
    key_file = os.path.join(WORK, "xfr-key-224.key")
    with open(key_file, "w") as f:
        f.write(f'key "xfr-key" {{\n\talgorithm hmac-sha224;\n\tsecret "{SECRET_224}";\n}};\n')

    # (label, server, zone, dnscope's key options, dig's, kdig's)
    cases = [
        ("knot open", "127.0.1.10", "palette.com", [], [], []),
        ("knot tsig", "127.0.1.10", "types.com", ["-y", KEY_256], ["-y", KEY_256], ["-y", KEY_256]),
        ("knot tsig bulk", "127.0.1.10", "bulk.interop", ["-y", KEY_256], ["-y", KEY_256], ["-y", KEY_256]),
        ("bind open", "127.0.1.20", "cloudfront.net", [], [], []),
        ("bind tsig sha224 key file", "127.0.1.20", "types.com", ["-k", key_file], ["-k", key_file],
         ["-y", f"hmac-sha224:xfr-key:{SECRET_224}"]),
        ("bind tsig bulk", "127.0.1.20", "bulk.interop",
         ["-y", f"hmac-sha256:xfr-key-256:{SECRET_256}"], ["-y", f"hmac-sha256:xfr-key-256:{SECRET_256}"],
         ["-y", f"hmac-sha256:xfr-key-256:{SECRET_256}"]),
        ("nsd open", "127.0.1.30", "types.com", [], [], []),
        ("nsd tsig", "127.0.1.30", "lame.interop", ["-y", KEY_256], ["-y", KEY_256], ["-y", KEY_256]),
        ("nsd tsig bulk", "127.0.1.32", "bulk.interop", ["-y", KEY_256], ["-y", KEY_256], ["-y", KEY_256]),
    ]
    for label, server, zone, ours_key, dig_key, kdig_key in cases:
        ours = dnscope(f"@{server}", *ours_key, zone, "AXFR")
        dig = run(["dig", f"@{server}", "+time=5", *dig_key, zone, "AXFR"])
        kdig = run(["kdig", f"@{server}", "+timeout=5", *kdig_key, zone, "AXFR"])
        if not check(ours.returncode == 0, f"{label} {zone}: transferred", f"exit {ours.returncode}: {ours.stderr}"):
            continue
        mine, theirs, kd = (canonical(zone, t) for t in (ours.stdout, dig.stdout, kdig.stdout))
        check(mine[0] == 0 and mine[1] == theirs[1] == kd[1] and len(mine[1]) >= 2,
              f"{label} {zone}: {mine[2]} records load as dig's and kdig's do",
              f"exit {mine[0]}; only dnscope: {sorted(set(mine[1]) - set(theirs[1]))[:3]}; "
              f"only dig: {sorted(set(theirs[1]) - set(mine[1]))[:3]}; only kdig: {sorted(set(kd[1]) - set(mine[1]))[:3]}")
        ours_size, dig_sizes = dig_size(ours.stdout), dig_size(dig.stdout)
        check(ours_size is not None and dig_sizes is not None and ours_size[0] == dig_sizes[0] == mine[2],
              f"{label} {zone}: XFR size {ours_size} as dig's {dig_sizes}", ours.stdout[-400:])
        if ours_key:
            check(";; TSIG: verified with key" in ours.stdout, f"{label} {zone}: TSIG verified",
                  ours.stdout[-300:])
            check(SECRET_256 not in ours.stdout + ours.stderr and SECRET_224 not in ours.stdout + ours.stderr,
                  f"{label} {zone}: the secret is not printed")
        doc = [json.loads(l) for l in dnscope("--json", f"@{server}", *ours_key, zone, "AXFR").stdout.splitlines()]
        summary = doc[-1]
        per_message = sum(len(m["records"]) for m in doc[:-1])
        check(summary["mode"] == "transfer" and summary["kind"] == "axfr" and per_message == summary["records"] == mine[2]
              and len(doc) - 1 == summary["messages"],
              f"{label} {zone}: JSON, {summary['messages']} message line(s) and the summary", json.dumps(summary)[:300])
        if ours_key:
            tsig = summary["tsig"]
            check(tsig["verified"] and tsig["signed"] + tsig["unsigned"] == summary["messages"] and tsig["signed"] >= 1,
                  f"{label} {zone}: JSON tsig {tsig['signed']} signed, {tsig['unsigned']} unsigned", json.dumps(tsig))
            check(SECRET_256 not in json.dumps(doc), f"{label} {zone}: the secret is not in the JSON")

    # Refused: by ACL (BIND's amazonaws.com., NSD's com., Knot's types.com. without the key).
    for label, server, zone in [("bind", "127.0.1.20", "amazonaws.com"), ("nsd", "127.0.1.2", "com"),
                                ("knot without the key", "127.0.1.10", "types.com")]:
        done = dnscope(f"@{server}", zone, "AXFR")
        dig = run(["dig", f"@{server}", "+time=5", zone, "AXFR"])
        check(done.returncode == 5 and "the server answered" in done.stderr and len(done.stderr.splitlines()) == 1,
              f"refused {label} {zone}: exit 5, {done.stderr.strip()}", f"exit {done.returncode}: {done.stderr}; dig: {dig.stdout[-200:]}")

    # A wrong secret and an unknown key name, with each server.
    wrong = "d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldCB3cm9uZyE="
    for label, server, zone in [("knot", "127.0.1.10", "types.com"), ("bind", "127.0.1.20", "bulk.interop"),
                                ("nsd", "127.0.1.30", "lame.interop")]:
        name = "xfr-key-256" if label == "bind" else "xfr-key"
        for what, key, says in [("wrong secret", f"{name}:{wrong}", "BADSIG"),
                                ("unknown key", f"no-such-key:{SECRET_256}", "BADKEY")]:
            done = dnscope(f"@{server}", "-y", key, zone, "AXFR")
            kdig = run(["kdig", f"@{server}", "+timeout=5", "-y", key, zone, "AXFR"])
            check(done.returncode == 5 and says in done.stderr and wrong not in done.stdout + done.stderr
                  and SECRET_256 not in done.stdout + done.stderr,
                  f"{what} at {label}: exit 5, {done.stderr.strip()}",
                  f"exit {done.returncode}: {done.stderr}; kdig: {(kdig.stdout + kdig.stderr)[-300:]}")

    # A signed query over UDP, with each server's key: verified; with a wrong secret, BADSIG.
    for label, server, zone, key in [("knot", "127.0.1.10", "types.com", KEY_256),
                                     ("bind", "127.0.1.20", "types.com", f"hmac-sha224:xfr-key:{SECRET_224}"),
                                     ("nsd", "127.0.1.32", "bulk.interop", KEY_256)]:
        done = dnscope("--json", f"@{server}", "-y", key, zone, "SOA")
        doc = json.loads(done.stdout.splitlines()[0])
        check(done.returncode == 0 and doc["tsig"]["verified"] and doc["server"]["protocol"] == "udp",
              f"signed query to {label}: {zone} SOA verified", done.stdout[-300:])
        bad = dnscope(f"@{server}", "-y", key.rsplit(":", 1)[0] + ":" + wrong, zone, "SOA")
        check(bad.returncode == 5 and "BADSIG" in bad.stderr and wrong not in bad.stdout + bad.stderr,
              f"signed query to {label} with a wrong secret: exit 5, BADSIG", f"exit {bad.returncode}: {bad.stderr}")

    # IXFR: a change made with nsupdate on BIND's dyn.com., then the IXFR from the old
    # serial shows exactly that change, as dig's IXFR lists it.
    before = int(dnscope("+short", "@127.0.1.20", "dyn.com", "SOA").stdout.split()[2])
    update = run(["nsupdate"], stdin="server 127.0.1.20\nzone dyn.com\nupdate delete www.dyn.com. A 192.0.2.1\n"
                                     "update add new.dyn.com. 300 IN A 192.0.2.9\nsend\n")
    after = int(dnscope("+short", "@127.0.1.20", "dyn.com", "SOA").stdout.split()[2])
    check(update.returncode == 0 and after != before, f"nsupdate moved dyn.com. from {before} to {after}", update.stderr)
    doc = [json.loads(l) for l in dnscope("--json", "@127.0.1.20", "dyn.com", f"IXFR={before}").stdout.splitlines()]
    summary = doc[-1]
    changes = [(r["change"], r.get("serial"), r["name"], r["type"], r["data"])
               for m in doc[:-1] for r in m["records"] if r["type"] != "SOA"]
    check(summary["kind"] == "incremental" and summary["steps"] == [{"from": before, "to": after, "deleted": 1, "added": 1}]
          and changes == [("deleted", before, "www.dyn.com.", "A", "192.0.2.1"), ("added", after, "new.dyn.com.", "A", "192.0.2.9")],
          f"IXFR={before} from BIND: one step, www deleted, new added", json.dumps(summary) + json.dumps(changes))
    text = dnscope("@127.0.1.20", "dyn.com", f"IXFR={before}").stdout
    dig = run(["dig", "@127.0.1.20", "+time=5", "dyn.com", f"IXFR={before}"]).stdout
    rows = lambda t: [re.sub(r"\s+", " ", l.strip()) for l in t.splitlines() if l.strip() and not l.startswith(";")]
    check(rows(text) == rows(dig) and len(rows(text)) == 6, f"IXFR={before}: the same {len(rows(text))} records in dig's order",
          f"dnscope {rows(text)}; dig {rows(dig)}")
    up = dnscope("@127.0.1.20", "dyn.com", f"IXFR={after}")
    check(up.returncode == 0 and f"up to date: the server has serial {after}" in up.stdout, f"IXFR={after}: up to date",
          up.stdout + up.stderr)
    # An IXFR that the server answers with the whole zone (no journal for cloudfront.net.).
    full = [json.loads(l) for l in dnscope("--json", "@127.0.1.20", "cloudfront.net", "IXFR=0").stdout.splitlines()][-1]
    check(full["kind"] == "full" and full["exit_code"] == 0, f"IXFR=0 of cloudfront.net.: the whole zone ({full['records']} records)",
          json.dumps(full))

    check.finish()


main()
