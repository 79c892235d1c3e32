
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dnscope' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dnscope'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'dnscope' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Record type for names given without one (dig -t)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Record type for names given without one (dig -t)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Class for names given without one (dig -c)')
            [CompletionResult]::new('--class', '--class', [CompletionResultType]::ParameterName, 'Class for names given without one (dig -c)')
            [CompletionResult]::new('-x', '-x', [CompletionResultType]::ParameterName, 'Reverse lookup: query the PTR record of this IPv4 or IPv6 address (repeatable)')
            [CompletionResult]::new('--reverse', '--reverse', [CompletionResultType]::ParameterName, 'Reverse lookup: query the PTR record of this IPv4 or IPv6 address (repeatable)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'TSIG: sign queries and transfers with this key, as dig -y ([HMAC:]NAME:SECRET, base64 secret; hmac-sha256 unless named). Other users of this machine may see it in the process list: prefer -k')
            [CompletionResult]::new('--tsig', '--tsig', [CompletionResultType]::ParameterName, 'TSIG: sign queries and transfers with this key, as dig -y ([HMAC:]NAME:SECRET, base64 secret; hmac-sha256 unless named). Other users of this machine may see it in the process list: prefer -k')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'TSIG: read the key from a BIND key file, as dig -k (what tsig-keygen writes)')
            [CompletionResult]::new('--tsig-file', '--tsig-file', [CompletionResultType]::ParameterName, 'TSIG: read the key from a BIND key file, as dig -k (what tsig-keygen writes)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'Send from this local address (and port), as dig -b; only servers of its family are asked')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Send from this local address (and port), as dig -b; only servers of its family are asked')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Server port (default 53)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Server port (default 53)')
            [CompletionResult]::new('--root-hints', '--root-hints', [CompletionResultType]::ParameterName, 'Root hints for +trace, in named.root format, instead of the embedded IANA list')
            [CompletionResult]::new('--expect', '--expect', [CompletionResultType]::ParameterName, 'Assert on the result, e.g. A=192.0.2.10, ''CNAME=*.cloudfront.net'', rcode=NXDOMAIN, ''ttl<=300'', answers>=2, ''ns=ns-*.awsdns-*'' (repeatable; exit 6 when one fails)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Batch: one query per line of FILE (''-'' for standard input), in dig''s syntax; the rest of the command line applies to every line')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Batch: one query per line of FILE (''-'' for standard input), in dig''s syntax; the rest of the command line applies to every line')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Batch: queries in flight at once')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Batch: queries in flight at once')
            [CompletionResult]::new('--qps', '--qps', [CompletionResultType]::ParameterName, 'Batch: send at most N queries per second')
            [CompletionResult]::new('--max-per-server', '--max-per-server', [CompletionResultType]::ParameterName, 'Batch: at most N queries in flight to any one server')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Wait this long for each reply, e.g. 1500ms or 2s (default 5s, or resolv.conf''s; at most 5m)')
            [CompletionResult]::new('--hosts', '--hosts', [CompletionResultType]::ParameterName, 'With --lifecycle: the hosts file to read (default /etc/hosts)')
            [CompletionResult]::new('--nsswitch', '--nsswitch', [CompletionResultType]::ParameterName, 'With --lifecycle: the nsswitch.conf to read (default /etc/nsswitch.conf)')
            [CompletionResult]::new('--resolvers', '--resolvers', [CompletionResultType]::ParameterName, 'With --lifecycle: ask these resolvers instead of resolv.conf''s; `public` is Cloudflare 1.1.1.1, Google 8.8.8.8, Quad9 9.9.9.9 and OpenDNS 208.67.222.222')
            [CompletionResult]::new('--trust-anchor', '--trust-anchor', [CompletionResultType]::ParameterName, 'With +trace +dnssec: trust anchors in zone-file syntax (DS or DNSKEY records, for a private root or a zone of its own) instead of the embedded root anchors')
            [CompletionResult]::new('--dnssec-time', '--dnssec-time', [CompletionResultType]::ParameterName, 'With +trace +dnssec: validate as of this moment (RFC 3339, e.g. 2030-01-01T00:00:00Z)')
            [CompletionResult]::new('--trace-timeout', '--trace-timeout', [CompletionResultType]::ParameterName, 'With +trace: stop the whole trace after this long, e.g. 30s (default 10s; at most 1h)')
            [CompletionResult]::new('--tries', '--tries', [CompletionResultType]::ParameterName, 'Attempts per server (default 3, or resolv.conf''s attempts; at most 100)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--resolv-conf', '--resolv-conf', [CompletionResultType]::ParameterName, 'Read servers, search list and options from this file instead of /etc/resolv.conf')
            [CompletionResult]::new('--generate', '--generate', [CompletionResultType]::ParameterName, 'Print a shell completion script or the man page, then exit')
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'Do not read ~/.digrc (whose words dnscope takes as the first of the command line, as dig does)')
            [CompletionResult]::new('-4', '-4', [CompletionResultType]::ParameterName, 'Use IPv4 servers only')
            [CompletionResult]::new('-6', '-6', [CompletionResultType]::ParameterName, 'Use IPv6 servers only')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: one object per query, one per line (same as +json)')
            [CompletionResult]::new('--short', '--short', [CompletionResultType]::ParameterName, 'Print only the answer data, one record per line (same as +short)')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Walk the delegation chain from the root hints to the final answer (same as +trace)')
            [CompletionResult]::new('--ordered', '--ordered', [CompletionResultType]::ParameterName, 'Batch: print results in input order instead of as they complete')
            [CompletionResult]::new('--tcp', '--tcp', [CompletionResultType]::ParameterName, 'Query over TCP (same as +tcp)')
            [CompletionResult]::new('--all-servers', '--all-servers', [CompletionResultType]::ParameterName, 'With +trace: ask every address of every name server of each zone cut at once (+nsall)')
            [CompletionResult]::new('--tcp-check', '--tcp-check', [CompletionResultType]::ParameterName, 'With +trace +nsall: ask each server the zone''s SOA over TCP too (+tcpcheck)')
            [CompletionResult]::new('--lifecycle', '--lifecycle', [CompletionResultType]::ParameterName, 'The name''s whole path, from the hosts file to the endpoint (+lifecycle)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'With +trace +nsall: warnings count as errors (exit 8 on any finding)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every check of a check file (JSON, or TOML by its .toml ending) and report each')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dnscope;check' {
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Also write a JUnit XML report to this file, for CI systems that display it')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour')
            [CompletionResult]::new('--resolv-conf', '--resolv-conf', [CompletionResultType]::ParameterName, 'resolv.conf for checks that name no server')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the report as one JSON object')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dnscope;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Run every check of a check file (JSON, or TOML by its .toml ending) and report each')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dnscope;help;check' {
            break
        }
        'dnscope;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
