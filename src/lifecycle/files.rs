//! The two files the C library reads before DNS: nsswitch.conf's `hosts:` order and
//! the hosts file.

use std::net::IpAddr;

/// The sources of the `hosts:` line, in order, without their `[STATUS=action]` items;
/// `None` when the file has no such line.
pub(crate) fn hosts_order(nsswitch: &str) -> Option<Vec<String>> {
    nsswitch.lines().find_map(|line| {
        let line = line.split('#').next().unwrap_or_default().trim();
        let rest = line.strip_prefix("hosts:")?;
        let mut order = Vec::new();
        let mut in_action = false;
        for word in rest.split_whitespace() {
            if word.starts_with('[') {
                in_action = true;
            }
            if !in_action {
                order.push(word.to_ascii_lowercase());
            }
            if word.ends_with(']') {
                in_action = false;
            }
        }
        Some(order)
    })
}

/// The addresses the hosts file gives `name` (any case, final dot optional), of the
/// family `want_v6` says, in file order.
pub(crate) fn addresses(hosts: &str, name: &str, want_v6: bool) -> Vec<IpAddr> {
    let name = name.trim_end_matches('.');
    let mut found = Vec::new();
    for line in hosts.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut fields = line.split_whitespace();
        let Some(Ok(addr)) = fields.next().map(str::parse::<IpAddr>) else {
            continue;
        };
        if addr.is_ipv6() == want_v6
            && fields.any(|n| n.trim_end_matches('.').eq_ignore_ascii_case(name))
            && !found.contains(&addr)
        {
            found.push(addr);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hosts_line_without_its_actions() {
        let conf =
            "# comment\npasswd: files\nhosts:  files mdns4_minimal [NOTFOUND=return] dns myhostname # tail\n";
        assert_eq!(
            hosts_order(conf).unwrap(),
            ["files", "mdns4_minimal", "dns", "myhostname"]
        );
        assert_eq!(
            hosts_order("hosts: dns [!UNAVAIL=return] files").unwrap(),
            ["dns", "files"]
        );
        assert_eq!(hosts_order("passwd: files\n"), None);
    }

    #[test]
    fn host_entries_by_name_alias_and_family() {
        let hosts = "127.0.0.1 localhost\n192.0.2.7 www.example.test www # old site\n\
                     2001:db8::7 WWW.example.test.\n#192.0.2.8 www.example.test\n192.0.2.9 other www.example.test\n";
        let v4: Vec<String> = addresses(hosts, "www.example.test.", false)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(v4, ["192.0.2.7", "192.0.2.9"]);
        assert_eq!(
            addresses(hosts, "www.example.test", true),
            ["2001:db8::7".parse::<IpAddr>().unwrap()]
        );
        assert!(addresses(hosts, "example.test", false).is_empty());
    }
}
