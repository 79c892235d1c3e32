"""The interop benchmark (benches/interop.sh runs it through run.sh): medians of
dnscope against kdig, drill and dig for one query, and of dnscope +trace against
drill -T and dig +trace for the CloudFront chain and a glueless delegation, with peak
RSS, on the real hierarchy behind delaying relays. Prints rows of a table."""

import json
import os
import subprocess
import tempfile

DNSCOPE = os.environ["DNSCOPE"]
HINTS = os.environ["HINTS"]
DELAYS = os.environ["DELAYS"]
RUNS = os.environ.get("RUNS", "10")

SCENARIOS = [
    ("one query", "192.0.2.30", {
        "dnscope": [DNSCOPE, "@127.0.1.10", "palette.com.", "A"],
        "kdig": ["kdig", "@127.0.1.10", "palette.com.", "A"],
        "drill": ["drill", "palette.com.", "A", "@127.0.1.10"],
        "dig": ["dig", "@127.0.1.10", "palette.com.", "A"],
    }),
    ("trace: CNAME to CloudFront", "192.0.2.80", {
        "dnscope": [DNSCOPE, "+trace", "--root-hints", HINTS, "www.palette.com.", "A"],
        "drill": ["drill", "-T", "-r", HINTS, "www.palette.com.", "A"],
        "dig": ["dig", "+trace", "@127.0.1.1", "www.palette.com.", "A"],
    }),
    ("trace: glueless delegation", "inbound-smtp", {
        "dnscope": [DNSCOPE, "+trace", "--root-hints", HINTS, "palette.com.", "MX"],
        "drill": ["drill", "-T", "-r", HINTS, "palette.com.", "MX"],
        "dig": ["dig", "+trace", "@127.0.1.1", "palette.com.", "MX"],
    }),
]


def median_ms(command):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(["hyperfine", "-N", "-i", "--warmup", "1", "--runs", RUNS, "--export-json", out.name,
                        " ".join(command)], capture_output=True, check=True)
        return json.load(open(out.name))["results"][0]["median"] * 1000


def peak_rss_mb(command):
    peak = 0
    for _ in range(3):
        done = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True)
        peak = max(peak, int(done.stderr.strip().splitlines()[-1]))
    return peak / 1024


for scenario, expected, tools in SCENARIOS:
    times = {}
    for tool, command in tools.items():
        output = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout
        complete = "complete" if expected in output else "no final answer"
        times[tool] = median_ms(command)
        ratio = times["dnscope"] / times[tool]
        print(f"| {DELAYS} | {scenario} | {tool} | {times[tool]:.1f} | {ratio:.2f} | {peak_rss_mb(command):.1f} | {complete} |",
              flush=True)
