"""Every record type, as dnscope shows it, against kdig and dig, from Knot, BIND and NSD
serving the same zone (zones/types.com.zone); then the reparse test: every record line
dnscope printed must load in BIND's and NSD's zone checkers and mean the same records as
the zone file they were served from. Prints one line per check and 'N passed, N failed';
exits 1 when a check fails."""

import json
import os
import re
import subprocess
import tempfile

from checks import Checks

DNSCOPE = os.environ["DNSCOPE"]
ZONE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zones", "types.com.zone")
SERVERS = {"knot": "127.0.1.10", "bind": "127.0.1.20", "nsd": "127.0.1.30"}
# The wildcard is asked through a name it synthesizes.
ASKED_AS = {"*.wild.types.com.": "x.wild.types.com."}
# Knot keeps NSEC3 records in a tree of their own and answers a query for one with
# NXDOMAIN; BIND and NSD serve them as data (and secure.com.'s denials carry Knot's).
NOT_SERVED = {("knot", "NSEC3")}
# Where dig 9.18 or kdig 3.2 write a type otherwise than its RFC, dnscope follows the RFC
# and is compared with the other tool only. dig drops the leading zeros of L64 and NID
# groups, which RFC 6742 §2.3's examples keep. kdig writes CERT types as numbers (RFC 4398
# §2.2 lists the mnemonics first, and dig uses them), and LOC without zero fractions of
# seconds and metres (RFC 1876 Appendix A's own examples give them, as dig does).
DIG_DEPARTS = {"L64", "NID"}
KDIG_DEPARTS = {"CERT", "LOC"}
# Zones Knot signs (NSEC for secure.com., NSEC3 for secure3.com.), and the questions whose
# replies carry each DNSSEC type.
SIGNED = {
    "secure.com.": [("secure.com.", "DNSKEY"), ("www.secure.com.", "A"), ("nope.secure.com.", "A"),
                    ("secure.com.", "NSEC")],
    "secure3.com.": [("secure3.com.", "NSEC3PARAM"), ("nope.secure3.com.", "A"), ("secure3.com.", "TXT")],
}


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
    check = Checks()

    shown = {server: [] for server in SERVERS}
    for owner, rtype in zone_records():
        asked = ASKED_AS.get(owner, owner)
        for server, address in SERVERS.items():
            if (server, rtype) in NOT_SERVED:
                continue
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
                # kdig's JSON has no text for a type it does not know, only RDATAHEX.
                kd_text = kd.get(f"rdata{kd['TYPEname']}")
                check(mine["type"] == kd["TYPEname"], f"{label}: type name {mine['type']}",
                      f"kdig says {kd['TYPEname']}")
                # Text: equal to both dig's and kdig's, but where one of them departs
                # from the RFC (DIG_DEPARTS, KDIG_DEPARTS); then equal to the other.
                references = [(name, text) for name, text, departs in
                              (("dig", dg, DIG_DEPARTS), ("kdig", kd_text, KDIG_DEPARTS))
                              if mine["type"] not in departs and text is not None]
                same = all(squash(mine["data"]) == squash(text) for _, text in references)
                check(same and references, f"{label}: {mine['data'][:60]} (= {', '.join(n for n, _ in references)})",
                      f"dig {dg!r}; kdig {kd_text!r}")
                if "hex" in mine["rdata"]:
                    check(mine["rdata"]["hex"] == kd.get("RDATAHEX", ""), f"{label}: wire bytes",
                          f"dnscope {mine['rdata']['hex']}; kdig {kd.get('RDATAHEX')}")
                check("note" not in mine["rdata"], f"{label}: decoded", json.dumps(mine["rdata"]))
            # +unknownformat: every type in RFC 3597 form, byte for byte as dig gives it.
            if server == "bind":
                ours_raw = run([DNSCOPE, "--resolv-conf", "/dev/null", "+short", "+unknownformat", f"@{address}", asked, rtype])
                dig_raw = run(["dig", f"@{address}", "+short", "+unknownformat", "+time=2", asked, rtype])
                check(sorted(squash(l) for l in ours_raw.stdout.splitlines()) == sorted(squash(l) for l in dig_raw.stdout.splitlines())
                      and ours_raw.stdout, f"{label}: +unknownformat as dig's", f"dnscope {ours_raw.stdout!r}; dig {dig_raw.stdout!r}")
            text = run([DNSCOPE, "--resolv-conf", "/dev/null", f"@{address}", "+noall", "+answer", asked, rtype])
            if owner not in ASKED_AS:
                shown[server].extend(line for line in text.stdout.splitlines() if line)

    # Signed data as Knot signs it: DNSKEY and RRSIG, NSEC denials, NSEC3PARAM and NSEC3
    # denials (secure3.com.). Records in every section, text against kdig or dig, wire
    # against kdig where dnscope prints hex; then dnscope's lines and kdig's, each as a
    # zone, must dump the same in BIND's canonical form.
    for zone, questions in SIGNED.items():
        ours_lines, kdig_lines = [], []
        for name, rtype in questions:
            doc = json.loads(run([DNSCOPE, "--resolv-conf", "/dev/null", "--json", "+dnssec", "@127.0.1.10", name, rtype]).stdout)
            kd = json.loads(run(["kdig", "@127.0.1.10", "+json", "+dnssec", "+timeout=2", name, rtype]).stdout)
            mine = [r for section in ("answer", "authority") for r in doc["response"][section]]
            theirs = [r for section in ("answerRRs", "authorityRRs") for r in kd.get(section, [])]
            label = f"signed {name} {rtype}"
            check(len(mine) == len(theirs) > 0, f"{label}: {len(mine)} records", f"kdig {len(theirs)}")
            texts = {squash(r.get(f"rdata{r['TYPEname']}", "")) for r in theirs}
            wires = {r.get("RDATAHEX", "") for r in theirs}
            for r in mine:
                check(squash(r["data"]) in texts, f"{label}: {r['type']} {r['data'][:50]}", f"kdig {sorted(texts)}")
                if "hex" in r["rdata"]:
                    check(r["rdata"]["hex"] in wires, f"{label}: {r['type']} wire bytes", r["rdata"]["hex"])
                check("note" not in r["rdata"], f"{label}: {r['type']} decoded", json.dumps(r["rdata"]))
            sections = ["+noall", "+answer", "+authority", "+dnssec"]
            ours_lines += run([DNSCOPE, "--resolv-conf", "/dev/null", "@127.0.1.10", *sections, name, rtype]).stdout.splitlines()
            kdig_lines += run(["kdig", "@127.0.1.10", *sections, name, rtype]).stdout.splitlines()
        dumps = []
        for lines in (ours_lines, kdig_lines):
            records = [l for l in lines if l and not l.startswith(";") and l.split()[3] != "SOA"]
            head = [f"{zone} 300 IN SOA ns.{zone} h.{zone} 1 2 3 4 5", f"{zone} 300 IN NS ns.{zone}", f"ns.{zone} 300 IN A 192.0.2.1"]
            with tempfile.NamedTemporaryFile("w", suffix=".zone", delete=False) as f:
                f.write("\n".join(head + records) + "\n")
            done = run(["named-checkzone", "-q", "-D", "-o", "-", zone, f.name])
            dumps.append((done.returncode, sorted(done.stdout.splitlines())))
            os.unlink(f.name)
        check(dumps[0] == dumps[1] and dumps[0][0] == 0, f"reparse: {len(ours_lines)} signed lines from {zone} load as kdig's do",
              f"dnscope {dumps[0][0]}: {sorted(set(dumps[0][1]) - set(dumps[1][1]))[:3]}; kdig {dumps[1][0]}: {sorted(set(dumps[1][1]) - set(dumps[0][1]))[:3]}")

    # +multiline, +split and +rrcomments: the same text as dig's, white space aside, on
    # the records Knot signs (DNSKEY with its key-tag comment, RRSIG, SOA with its field
    # names). dig splits at 56 characters by default on one line; dnscope does not, so
    # the one-line case names the width.
    for name, rtype in [("secure.com.", "DNSKEY"), ("secure.com.", "SOA"), ("www.secure.com.", "A")]:
        for options in (["+multiline"], ["+multiline", "+norrcomments"], ["+split=16"], ["+rrcomments", "+split=56"]):
            words = ["@127.0.1.10", "+dnssec", *options, "+noall", "+answer", name, rtype]
            ours = run([DNSCOPE, "--resolv-conf", "/dev/null", *words]).stdout
            dig = run(["dig", "+time=2", *words]).stdout
            flat = lambda t: re.sub(r"\s+", " ", t).strip()
            check(flat(ours) == flat(dig) and "(" in ours if "+multiline" in options else flat(ours) == flat(dig),
                  f"{name} {rtype} {' '.join(options)}: laid out as dig", f"dnscope {ours!r}\n     dig {dig!r}")

    # +yaml: dig's YAML, line for line, but for what differs between any two queries (the
    # times, the ID, the cookie) and the response port's name (dig writes the server's port).
    varying = re.compile(r"^\s*(query_time|response_time|id|COOKIE):")
    for server, address in SERVERS.items():
        for name, rtype in [("types.com.", "SOA"), ("mx.types.com.", "MX"), ("nope.types.com.", "A")]:
            words = [f"@{address}", "+yaml", "+norec", name, rtype]
            ours = [l for l in run([DNSCOPE, "--resolv-conf", "/dev/null", *words]).stdout.splitlines() if not varying.match(l)]
            theirs = [l for l in run(["dig", "+time=2", *words]).stdout.splitlines() if not varying.match(l)]
            check(ours == theirs and ours, f"{server} {name} {rtype} +yaml: dig's YAML, line for line",
                  "\n".join(f"{a!r} | {b!r}" for a, b in zip(ours, theirs) if a != b) or f"{len(ours)} against {len(theirs)} lines")

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
        expected = {line for line in original if (server, line.split()[3]) not in NOT_SERVED}
        check(code == 0 and reparsed == expected, f"reparse: {len(lines)} lines from {server} load in named-checkzone as the zone",
              f"exit {code}; only in dnscope's: {sorted(reparsed - expected)[:5]}; only in the zone: {sorted(expected - reparsed)[:5]}")
        nsd = run(["nsd-checkzone", "types.com", f.name])
        check(nsd.returncode == 0, f"reparse: {len(lines)} lines from {server} load in nsd-checkzone", nsd.stderr + nsd.stdout)
        os.unlink(f.name)

    check.finish()


main()
