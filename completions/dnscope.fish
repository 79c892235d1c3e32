complete -c dnscope -s t -l type -d 'Record type for names given without one (dig -t)' -r
complete -c dnscope -s c -l class -d 'Class for names given without one (dig -c)' -r
complete -c dnscope -s x -l reverse -d 'Reverse lookup: query the PTR record of this IPv4 or IPv6 address (repeatable)' -r
complete -c dnscope -s p -l port -d 'Server port (default 53)' -r
complete -c dnscope -l root-hints -d 'Root hints for +trace, in named.root format, instead of the embedded IANA list' -r -F
complete -c dnscope -l expect -d 'Assert on the result, e.g. A=192.0.2.10, \'CNAME=*.cloudfront.net\', rcode=NXDOMAIN, \'ttl<=300\', answers>=2, \'ns=ns-*.awsdns-*\' (repeatable; exit 6 when one fails)' -r
complete -c dnscope -l timeout -d 'Wait this long for each reply, e.g. 1500ms or 2s (default 5s, or resolv.conf\'s)' -r
complete -c dnscope -l tries -d 'Attempts per server (default 3, or resolv.conf\'s attempts)' -r
complete -c dnscope -l color -d 'When to use colour' -r -f -a "auto\t'Colour when stdout is a terminal, unless NO_COLOR is set or CLICOLOR_FORCE asks for it'
always\t'Always colour'
never\t'Never colour'"
complete -c dnscope -l resolv-conf -d 'Read servers, search list and options from this file instead of /etc/resolv.conf' -r -F
complete -c dnscope -l generate -d 'Print a shell completion script or the man page, then exit' -r -f -a "bash\t'Bash completion'
zsh\t'Zsh completion'
fish\t'Fish completion'
powershell\t'PowerShell completion'
elvish\t'Elvish completion'
man\t'The man page (roff)'"
complete -c dnscope -s 4 -d 'Use IPv4 servers only'
complete -c dnscope -s 6 -d 'Use IPv6 servers only'
complete -c dnscope -l json -d 'Print JSON: one object per query, one per line (same as +json)'
complete -c dnscope -l short -d 'Print only the answer data, one record per line (same as +short)'
complete -c dnscope -l trace -d 'Walk the delegation chain from the root hints to the final answer (same as +trace)'
complete -c dnscope -l tcp -d 'Query over TCP (same as +tcp)'
complete -c dnscope -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dnscope -s V -l version -d 'Print version'
