# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dnscope_global_optspecs
    string join \n t/type= c/class= x/reverse= y/tsig= k/tsig-file= b/source= r p/port= 4 6 json short trace root-hints= expect= f/file= j/jobs= ordered qps= max-per-server= tcp timeout= all-servers tcp-check lifecycle hosts= nsswitch= resolvers= trust-anchor= dnssec-time= strict trace-timeout= tries= color= resolv-conf= generate= h/help V/version
end

function __fish_dnscope_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dnscope_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dnscope_using_subcommand
    set -l cmd (__fish_dnscope_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dnscope -n "__fish_dnscope_needs_command" -s t -l type -d 'Record type for names given without one (dig -t)' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -s c -l class -d 'Class for names given without one (dig -c)' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -s x -l reverse -d 'Reverse lookup: query the PTR record of this IPv4 or IPv6 address (repeatable)' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -s y -l tsig -d 'TSIG: sign queries and transfers with this key, as dig -y ([HMAC:]NAME:SECRET, base64 secret; hmac-sha256 unless named). Other users of this machine may see it in the process list: prefer -k' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -s k -l tsig-file -d 'TSIG: read the key from a BIND key file, as dig -k (what tsig-keygen writes)' -r -F
complete -c dnscope -n "__fish_dnscope_needs_command" -s b -l source -d 'Send from this local address (and port), as dig -b; only servers of its family are asked' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -s p -l port -d 'Server port (default 53)' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -l root-hints -d 'Root hints for +trace, in named.root format, instead of the embedded IANA list' -r -F
complete -c dnscope -n "__fish_dnscope_needs_command" -l expect -d 'Assert on the result, e.g. A=192.0.2.10, \'CNAME=*.cloudfront.net\', rcode=NXDOMAIN, \'ttl<=300\', answers>=2, \'ns=ns-*.awsdns-*\' (repeatable; exit 6 when one fails)' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -s f -l file -d 'Batch: one query per line of FILE (\'-\' for standard input), in dig\'s syntax; the rest of the command line applies to every line' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -s j -l jobs -d 'Batch: queries in flight at once' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -l qps -d 'Batch: send at most N queries per second' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -l max-per-server -d 'Batch: at most N queries in flight to any one server' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -l timeout -d 'Wait this long for each reply, e.g. 1500ms or 2s (default 5s, or resolv.conf\'s; at most 5m)' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -l hosts -d 'With --lifecycle: the hosts file to read (default /etc/hosts)' -r -F
complete -c dnscope -n "__fish_dnscope_needs_command" -l nsswitch -d 'With --lifecycle: the nsswitch.conf to read (default /etc/nsswitch.conf)' -r -F
complete -c dnscope -n "__fish_dnscope_needs_command" -l resolvers -d 'With --lifecycle: ask these resolvers instead of resolv.conf\'s; `public` is Cloudflare 1.1.1.1, Google 8.8.8.8, Quad9 9.9.9.9 and OpenDNS 208.67.222.222' -r -f -a "public\t''"
complete -c dnscope -n "__fish_dnscope_needs_command" -l trust-anchor -d 'With +trace +dnssec: trust anchors in zone-file syntax (DS or DNSKEY records, for a private root or a zone of its own) instead of the embedded root anchors' -r -F
complete -c dnscope -n "__fish_dnscope_needs_command" -l dnssec-time -d 'With +trace +dnssec: validate as of this moment (RFC 3339, e.g. 2030-01-01T00:00:00Z)' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -l trace-timeout -d 'With +trace: stop the whole trace after this long, e.g. 30s (default 10s; at most 1h)' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -l tries -d 'Attempts per server (default 3, or resolv.conf\'s attempts; at most 100)' -r
complete -c dnscope -n "__fish_dnscope_needs_command" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR is set or CLICOLOR_FORCE asks for it'
always\t'Always colour'
never\t'Never colour'"
complete -c dnscope -n "__fish_dnscope_needs_command" -l resolv-conf -d 'Read servers, search list and options from this file instead of /etc/resolv.conf' -r -F
complete -c dnscope -n "__fish_dnscope_needs_command" -l generate -d 'Print a shell completion script or the man page, then exit' -r -f -a "bash\t'Bash completion'
zsh\t'Zsh completion'
fish\t'Fish completion'
powershell\t'PowerShell completion'
elvish\t'Elvish completion'
man\t'The man page (roff)'"
complete -c dnscope -n "__fish_dnscope_needs_command" -s r -d 'Do not read ~/.digrc (whose words dnscope takes as the first of the command line, as dig does)'
complete -c dnscope -n "__fish_dnscope_needs_command" -s 4 -d 'Use IPv4 servers only'
complete -c dnscope -n "__fish_dnscope_needs_command" -s 6 -d 'Use IPv6 servers only'
complete -c dnscope -n "__fish_dnscope_needs_command" -l json -d 'Print JSON: one object per query, one per line (same as +json)'
complete -c dnscope -n "__fish_dnscope_needs_command" -l short -d 'Print only the answer data, one record per line (same as +short)'
complete -c dnscope -n "__fish_dnscope_needs_command" -l trace -d 'Walk the delegation chain from the root hints to the final answer (same as +trace)'
complete -c dnscope -n "__fish_dnscope_needs_command" -l ordered -d 'Batch: print results in input order instead of as they complete'
complete -c dnscope -n "__fish_dnscope_needs_command" -l tcp -d 'Query over TCP (same as +tcp)'
complete -c dnscope -n "__fish_dnscope_needs_command" -l all-servers -d 'With +trace: ask every address of every name server of each zone cut at once (+nsall)'
complete -c dnscope -n "__fish_dnscope_needs_command" -l tcp-check -d 'With +trace +nsall: ask each server the zone\'s SOA over TCP too (+tcpcheck)'
complete -c dnscope -n "__fish_dnscope_needs_command" -l lifecycle -d 'The name\'s whole path, from the hosts file to the endpoint (+lifecycle)'
complete -c dnscope -n "__fish_dnscope_needs_command" -l strict -d 'With +trace +nsall: warnings count as errors (exit 8 on any finding)'
complete -c dnscope -n "__fish_dnscope_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dnscope -n "__fish_dnscope_needs_command" -s V -l version -d 'Print version'
complete -c dnscope -n "__fish_dnscope_needs_command" -a "check" -d 'Run every check of a check file (JSON, or TOML by its .toml ending) and report each'
complete -c dnscope -n "__fish_dnscope_needs_command" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dnscope -n "__fish_dnscope_using_subcommand check" -l junit -d 'Also write a JUnit XML report to this file, for CI systems that display it' -r -F
complete -c dnscope -n "__fish_dnscope_using_subcommand check" -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR is set or CLICOLOR_FORCE asks for it'
always\t'Always colour'
never\t'Never colour'"
complete -c dnscope -n "__fish_dnscope_using_subcommand check" -l resolv-conf -d 'resolv.conf for checks that name no server' -r -F
complete -c dnscope -n "__fish_dnscope_using_subcommand check" -l json -d 'Print the report as one JSON object'
complete -c dnscope -n "__fish_dnscope_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dnscope -n "__fish_dnscope_using_subcommand help; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Run every check of a check file (JSON, or TOML by its .toml ending) and report each'
complete -c dnscope -n "__fish_dnscope_using_subcommand help; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
