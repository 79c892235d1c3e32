"""Every record type, as dnscope shows it, against kdig and dig, from Knot, BIND and NSD
serving the same zone (zones/types.com.zone); then the reparse test: every record line
dnscope printed must load in BIND's and NSD's zone checkers and mean the same records as
the zone file they were served from. Prints one line per check and 'N passed, N failed';
exits 1 when a check fails."""

import json
import os
import re
import subprocess
import sys
import tempfile

DNSCOPE = os.environ["DNSCOPE"]
ZONE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zones", "types.com.zone")
SERVERS = {"knot": "127.0.1.10", "bind": "127.0.1.20", "nsd": "127.0.1.30"}
# The wildcard is asked through a name it synthesizes.
ASKED_AS = {"*.wild.types.com.": "x.wild.types.com."}


def zone_records():
    """(owner, type) of every record in the zone file, in file order."""
    records = []
    for line in open(ZONE):
        if not line.strip() or line.startswith((";", "$")):
            continue
        owner, _, rtype = line.split()[:3]
        owner = "types.com." if owner == "@" else f"{owner}.types.com."
        records.append((owner, rtype))
    return records


def run(args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def squash(text):
    """Text with the differences that carry no meaning removed: white space (dig splits
    long hex and base64 into chunks), quotes around a single word, letter case, and the
    name of SVCB key 7 (RFC 9461 names it dohpath; dig 9.18 and kdig 3.2 predate that
    and write key7)."""
    return re.sub(r'[\s"]', "", text).lower().replace("key7=", "dohpath=")


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
        return ok

    shown = {server: [] for server in SERVERS}
    for owner, rtype in zone_records():
        asked = ASKED_AS.get(owner, owner)
        for server, address in SERVERS.items():
            done = run([DNSCOPE, "--resolv-conf", "/dev/null", "--json", f"@{address}", asked, rtype])
            doc = json.loads(done.stdout.splitlines()[0])
            ours = [r for r in doc["response"]["answer"] if r["type_code"] == doc["query"]["type_code"]]
            label = f"{server} {asked} {rtype}"
            kdig = json.loads(run(["kdig", f"@{address}", "+json", "+timeout=2", asked, "-t", rtype]).stdout)
            theirs = [r for r in kdig.get("answerRRs", []) if r["TYPE"] == doc["query"]["type_code"]]
            dig = run(["dig", f"@{address}", "+short", "+time=2", asked, rtype]).stdout.splitlines()
            if not check(done.returncode == 0 and len(ours) == len(theirs) == len(dig) > 0,
                         f"{label}: answered, {len(ours)} record(s)",
                         f"exit {done.returncode}; dnscope {len(ours)}, kdig {len(theirs)}, dig {len(dig)}: {done.stderr}"):
                continue
            for mine, kd, dg in zip(sorted(ours, key=lambda r: r["data"]),
                                     sorted(theirs, key=lambda r: r.get(f"rdata{r['TYPEname']}", "")),
                                     sorted(dig)):
                kd_text = kd.get(f"rdata{kd['TYPEname']}", "")
                check(mine["type"] == kd["TYPEname"], f"{label}: type name {mine['type']}",
                      f"kdig says {kd['TYPEname']}")
                # Text: dig and kdig disagree on some forms (kdig leaves LOC's zero
                # fractions and SVCB's alpn quotes out, writes CERT types as numbers; dig
                # drops L64/NID leading zeros, which RFC 6742 §2.3's examples keep).
                # dnscope follows the RFC, and must match at least one of them.
                same = squash(mine["data"]) in (squash(kd_text), squash(dg))
                check(same, f"{label}: {mine['data'][:60]}", f"dig {dg!r}; kdig {kd_text!r}")
                if "hex" in mine["rdata"]:
                    check(mine["rdata"]["hex"] == kd.get("RDATAHEX", ""), f"{label}: wire bytes",
                          f"dnscope {mine['rdata']['hex']}; kdig {kd.get('RDATAHEX')}")
                check("note" not in mine["rdata"], f"{label}: decoded", json.dumps(mine["rdata"]))
            text = run([DNSCOPE, "--resolv-conf", "/dev/null", f"@{address}", "+noall", "+answer", asked, rtype])
            if owner not in ASKED_AS:
                shown[server].extend(line for line in text.stdout.splitlines() if line)

    # The reparse test: dnscope's lines as a zone, checked and dumped in canonical form by
    # BIND, against the zone file itself dumped the same way.
    def canonical(path):
        done = run(["named-checkzone", "-q", "-D", "-o", "-", "types.com", path])
        lines = {line for line in done.stdout.splitlines() if line and not line.startswith(";")}
        return done.returncode, {l for l in lines if not l.split()[0].startswith("*")}

    _, original = canonical(ZONE)
    for server, lines in shown.items():
        with tempfile.NamedTemporaryFile("w", suffix=".zone", delete=False) as f:
            f.write("\n".join(lines) + "\n")
        code, reparsed = canonical(f.name)
        check(code == 0 and reparsed == original, f"reparse: {len(lines)} lines from {server} load in named-checkzone as the zone",
              f"exit {code}; only in dnscope's: {sorted(reparsed - original)[:5]}; only in the zone: {sorted(original - reparsed)[:5]}")
        nsd = run(["nsd-checkzone", "types.com", f.name])
        check(nsd.returncode == 0, f"reparse: {len(lines)} lines from {server} load in nsd-checkzone", nsd.stderr + nsd.stdout)
        os.unlink(f.name)

    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
