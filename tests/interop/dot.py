"""DNS over TLS against BIND 9.18 (authoritative) and unbound (resolving), and DNS over
HTTPS (HTTP/2) against BIND: dnscope's
answers over TLS against kdig +tls, record for record; the session (TLS version, ALPN,
the certificate the suite made); padding (the servers pad their replies only to padded
queries, RFC 8467 §4); one session for several queries, counted at a relay in front of
BIND; and an expired, a wrong-name and a self-signed certificate each refused with its
reason; over HTTPS, POST and GET against kdig +https, a path the server does not serve
(HTTP 404), and one HTTP/2 connection for several queries. Prints one line per check and
'N passed, N failed'."""

import json
import os
import socket
import subprocess
import threading

from checks import Checks

DNSCOPE = os.environ["DNSCOPE"]
TLS = os.environ["TLS"]
CA = os.path.join(TLS, "ca.pem")


def run(args):
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def dnscope(*args):
    return run([DNSCOPE, "--resolv-conf", "/dev/null", "--timeout", "3s", *args])


def relay(listen, target):
    """A TCP relay that counts the connections it accepts (TLS passes through it)."""
    accepted = []
    server = socket.create_server(listen)

    def pipe(a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def serve():
        while True:
            client, _ = server.accept()
            accepted.append(client)
            upstream = socket.create_connection(target)
            threading.Thread(target=pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return accepted


def main():
    check = Checks()
    cases = [("bind", "127.0.1.20", [("cloudfront.net", "SOA"), ("d111abcdef8.cloudfront.net", "A"),
                                     ("d111abcdef8.cloudfront.net", "AAAA"), ("cloudfront.net", "NS")]),
             ("unbound", "127.0.1.53", [("www.palette.com", "A"), ("palette.com", "MX"), ("palette.com", "TXT"),
                                        ("static.palette.com", "A")])]
    for label, server, questions in cases:
        for name, rtype in questions:
            done = dnscope("--json", "+tls", f"+tls-ca={CA}", f"@{server}", name, rtype)
            kdig = run(["kdig", "+json", "+tls", f"+tls-ca={CA}", "+tls-hostname=dns.interop", "+timeout=3",
                        f"@{server}", name, rtype])
            if not check(done.returncode == 0, f"{label} {name} {rtype} over TLS: answered", done.stderr):
                continue
            doc = json.loads(done.stdout.splitlines()[0])
            theirs = json.loads(kdig.stdout) if kdig.stdout.strip() else {}
            ours = sorted((r["name"].lower(), r["type"], r["data"].lower().replace('"', ""))
                          for r in doc["response"]["answer"])
            kd = sorted((r["NAME"].lower(), r["TYPEname"], str(r.get(f"rdata{r['TYPEname']}", "")).lower().replace('"', ""))
                        for r in theirs.get("answerRRs", []))
            check(ours == kd and ours, f"{label} {name} {rtype}: {len(ours)} record(s) as kdig +tls", f"dnscope {ours}; kdig {kd}")
            tls = doc.get("tls", {})
            check(doc["server"]["protocol"] == "tls" and doc["server"]["port"] == 853 and tls.get("verified")
                  and tls.get("version", "").startswith("TLSv1.") and tls.get("certificate", {}).get("subject") == "CN=dns.interop"
                  and tls["certificate"]["issuer"] == "CN=dnscope test CA",
                  f"{label} {name} {rtype}: {tls.get('version')} {tls.get('cipher')} ALPN {tls.get('alpn')}, certificate verified",
                  json.dumps(tls))
            options = [o["name"] for o in (doc["response"].get("edns") or {}).get("options", [])]
            check("PADDING" in options,
                  f"{label} {name} {rtype}: the reply is padded (the server saw the query's padding)", f"options {options}")
        plain = dnscope("--json", "+tls", "+nopadding", f"+tls-ca={CA}", f"@{server}", *questions[0])
        options = [o["name"] for o in (json.loads(plain.stdout.splitlines()[0])["response"].get("edns") or {}).get("options", [])]
        check(plain.returncode == 0 and "PADDING" not in options, f"{label}: with +nopadding the reply is not padded",
              f"options {options}")
        # The host name instead of the address.
        named = dnscope("+tls", f"+tls-ca={CA}", "+tls-hostname=dns.interop", f"@{server}", *questions[0])
        check(named.returncode == 0, f"{label}: +tls-hostname=dns.interop verifies", named.stderr)

    # One session for several queries: a relay in front of BIND counts connections.
    accepted = relay(("127.0.1.71", 853), ("127.0.1.20", 853))
    done = dnscope("--json", "+tls", f"+tls-ca={CA}", "+tls-hostname=dns.interop", "@127.0.1.71",
                   "cloudfront.net", "SOA", "d111abcdef8.cloudfront.net", "A", "cloudfront.net", "NS")
    docs = [json.loads(l) for l in done.stdout.splitlines()]
    check(done.returncode == 0 and len(docs) == 3 and len(accepted) == 1
          and [d["tls"]["reused"] for d in docs] == [False, True, True],
          f"three queries on one line: {len(accepted)} connection(s) at the server, reused {[d['tls']['reused'] for d in docs]}",
          done.stderr)

    # Certificates that do not verify, each with its reason, and exit 9.
    for port, says in [(8531, "it has expired"), (8532, "it is not valid for 127.0.1.20 (it names other.interop"),
                       (8533, "unknown issuer")]:
        done = dnscope("+tls", f"+tls-ca={CA}", "-p", str(port), "@127.0.1.20", "cloudfront.net", "SOA")
        kdig = run(["kdig", "+tls", f"+tls-ca={CA}", "+tls-hostname=127.0.1.20", "+timeout=3", "-p", str(port),
                    "@127.0.1.20", "cloudfront.net", "SOA"])
        check(done.returncode == 9 and says in done.stderr and len(done.stderr.splitlines()) == 1,
              f"port {port}: refused, {says}", f"exit {done.returncode}: {done.stderr}; kdig: {(kdig.stdout + kdig.stderr)[-200:]}")
        insecure = dnscope("+tls", "+notls-verify", "-p", str(port), "@127.0.1.20", "cloudfront.net", "SOA")
        check(insecure.returncode == 0 and "WARNING: +notls-verify" in insecure.stdout,
              f"port {port} with +notls-verify: answered, with the warning", insecure.stdout[-300:] + insecure.stderr)
    # DNS over HTTPS against BIND: POST and GET, each answer as kdig +https gives it.
    for name, rtype in [("cloudfront.net", "SOA"), ("d111abcdef8.cloudfront.net", "A"), ("cloudfront.net", "NS")]:
        kdig = run(["kdig", "+json", "+https", f"+tls-ca={CA}", "+tls-hostname=dns.interop", "+timeout=3",
                    "@127.0.1.20", name, rtype])
        theirs = json.loads(kdig.stdout) if kdig.stdout.strip() else {}
        kd = sorted((r["NAME"].lower(), r["TYPEname"], str(r.get(f"rdata{r['TYPEname']}", "")).lower().replace('"', ""))
                    for r in theirs.get("answerRRs", []))
        for method in ("+https-post", "+https-get"):
            done = dnscope("--json", "+https", method, f"+tls-ca={CA}", "@127.0.1.20", name, rtype)
            if not check(done.returncode == 0, f"DoH {method} {name} {rtype}: answered", done.stderr):
                continue
            doc = json.loads(done.stdout.splitlines()[0])
            ours = sorted((r["name"].lower(), r["type"], r["data"].lower().replace('"', ""))
                          for r in doc["response"]["answer"])
            check(ours == kd and ours and doc["server"]["protocol"] == "https" and doc["server"]["port"] == 443
                  and doc["tls"]["alpn"] == "h2" and doc["tls"]["verified"],
                  f"DoH {method} {name} {rtype}: {len(ours)} record(s) as kdig +https, over h2", f"dnscope {ours}; kdig {kd}")
    missing = dnscope("+https=/no-such-path", f"+tls-ca={CA}", "@127.0.1.20", "cloudfront.net", "SOA")
    check(missing.returncode == 9 and "HTTP 404" in missing.stderr, "DoH at a path BIND does not serve: HTTP 404, exit 9",
          f"exit {missing.returncode}: {missing.stderr}")
    accepted = relay(("127.0.1.72", 443), ("127.0.1.20", 443))
    done = dnscope("--json", "+https", f"+tls-ca={CA}", "+tls-hostname=dns.interop", "@127.0.1.72",
                   "cloudfront.net", "SOA", "d111abcdef8.cloudfront.net", "A", "cloudfront.net", "NS")
    docs = [json.loads(l) for l in done.stdout.splitlines()]
    check(done.returncode == 0 and len(docs) == 3 and len(accepted) == 1,
          f"DoH: three queries on one line, {len(accepted)} connection(s) at the server", done.stderr)

    # The system's roots do not know the test CA.
    done = dnscope("+tls", "@127.0.1.20", "cloudfront.net", "SOA")
    check(done.returncode == 9 and "unknown issuer" in done.stderr, "without +tls-ca: unknown issuer", done.stderr)

    check.finish()


main()
