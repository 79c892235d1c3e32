
use builtin;
use str;

set edit:completion:arg-completer[dnscope] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dnscope'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dnscope'= {
            cand -t 'Record type for names given without one (dig -t)'
            cand --type 'Record type for names given without one (dig -t)'
            cand -c 'Class for names given without one (dig -c)'
            cand --class 'Class for names given without one (dig -c)'
            cand -x 'Reverse lookup: query the PTR record of this IPv4 or IPv6 address (repeatable)'
            cand --reverse 'Reverse lookup: query the PTR record of this IPv4 or IPv6 address (repeatable)'
            cand -y 'TSIG: sign queries and transfers with this key, as dig -y ([HMAC:]NAME:SECRET, base64 secret; hmac-sha256 unless named). Other users of this machine may see it in the process list: prefer -k'
            cand --tsig 'TSIG: sign queries and transfers with this key, as dig -y ([HMAC:]NAME:SECRET, base64 secret; hmac-sha256 unless named). Other users of this machine may see it in the process list: prefer -k'
            cand -k 'TSIG: read the key from a BIND key file, as dig -k (what tsig-keygen writes)'
            cand --tsig-file 'TSIG: read the key from a BIND key file, as dig -k (what tsig-keygen writes)'
            cand -b 'Send from this local address (and port), as dig -b; only servers of its family are asked'
            cand --source 'Send from this local address (and port), as dig -b; only servers of its family are asked'
            cand -p 'Server port (default 53)'
            cand --port 'Server port (default 53)'
            cand --root-hints 'Root hints for +trace, in named.root format, instead of the embedded IANA list'
            cand --expect 'Assert on the result, e.g. A=192.0.2.10, ''CNAME=*.cloudfront.net'', rcode=NXDOMAIN, ''ttl<=300'', answers>=2, ''ns=ns-*.awsdns-*'' (repeatable; exit 6 when one fails)'
            cand -f 'Batch: one query per line of FILE (''-'' for standard input), in dig''s syntax; the rest of the command line applies to every line'
            cand --file 'Batch: one query per line of FILE (''-'' for standard input), in dig''s syntax; the rest of the command line applies to every line'
            cand -j 'Batch: queries in flight at once'
            cand --jobs 'Batch: queries in flight at once'
            cand --qps 'Batch: send at most N queries per second'
            cand --max-per-server 'Batch: at most N queries in flight to any one server'
            cand --timeout 'Wait this long for each reply, e.g. 1500ms or 2s (default 5s, or resolv.conf''s; at most 5m)'
            cand --hosts 'With --lifecycle: the hosts file to read (default /etc/hosts)'
            cand --nsswitch 'With --lifecycle: the nsswitch.conf to read (default /etc/nsswitch.conf)'
            cand --resolvers 'With --lifecycle: ask these resolvers instead of resolv.conf''s; `public` is Cloudflare 1.1.1.1, Google 8.8.8.8, Quad9 9.9.9.9 and OpenDNS 208.67.222.222'
            cand --trust-anchor 'With +trace +dnssec: trust anchors in zone-file syntax (DS or DNSKEY records, for a private root or a zone of its own) instead of the embedded root anchors'
            cand --dnssec-time 'With +trace +dnssec: validate as of this moment (RFC 3339, e.g. 2030-01-01T00:00:00Z)'
            cand --trace-timeout 'With +trace: stop the whole trace after this long, e.g. 30s (default 10s; at most 1h)'
            cand --tries 'Attempts per server (default 3, or resolv.conf''s attempts; at most 100)'
            cand --color 'When to use colour'
            cand --resolv-conf 'Read servers, search list and options from this file instead of /etc/resolv.conf'
            cand --generate 'Print a shell completion script or the man page, then exit'
            cand -r 'Do not read ~/.digrc (whose words dnscope takes as the first of the command line, as dig does)'
            cand -4 'Use IPv4 servers only'
            cand -6 'Use IPv6 servers only'
            cand --json 'Print JSON: one object per query, one per line (same as +json)'
            cand --short 'Print only the answer data, one record per line (same as +short)'
            cand --trace 'Walk the delegation chain from the root hints to the final answer (same as +trace)'
            cand --ordered 'Batch: print results in input order instead of as they complete'
            cand --tcp 'Query over TCP (same as +tcp)'
            cand --all-servers 'With +trace: ask every address of every name server of each zone cut at once (+nsall)'
            cand --tcp-check 'With +trace +nsall: ask each server the zone''s SOA over TCP too (+tcpcheck)'
            cand --lifecycle 'The name''s whole path, from the hosts file to the endpoint (+lifecycle)'
            cand --strict 'With +trace +nsall: warnings count as errors (exit 8 on any finding)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check 'Run every check of a check file (JSON, or TOML by its .toml ending) and report each'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dnscope;check'= {
            cand --junit 'Also write a JUnit XML report to this file, for CI systems that display it'
            cand --color 'When to use colour'
            cand --resolv-conf 'resolv.conf for checks that name no server'
            cand --json 'Print the report as one JSON object'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dnscope;help'= {
            cand check 'Run every check of a check file (JSON, or TOML by its .toml ending) and report each'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dnscope;help;check'= {
        }
        &'dnscope;help;help'= {
        }
    ]
    $completions[$command]
}
