//! Root hints: where an iterative walk starts.
//!
//! The embedded list is IANA's root hints file, https://www.internic.net/domain/named.root,
//! "last update: December 20, 2023, related version of root zone: 2023122001" (the
//! version that moved b.root-servers.net to 170.247.170.2 and 2801:1b8:10::b). It is
//! still current in 2024. `--root-hints FILE` reads a file of the same format instead,
//! which is how tests and labs point the walk at servers on loopback.

use std::net::IpAddr;

use hickory_proto::rr::Name;

/// A name server and the addresses known for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hint {
    /// Its name.
    pub name: Name,
    /// Its addresses, IPv4 first.
    pub addrs: Vec<IpAddr>,
}

/// The thirteen root servers with their IPv4 and IPv6 addresses.
const EMBEDDED: [(&str, &str, &str); 13] = [
    ("a.root-servers.net.", "198.41.0.4", "2001:503:ba3e::2:30"),
    ("b.root-servers.net.", "170.247.170.2", "2801:1b8:10::b"),
    ("c.root-servers.net.", "192.33.4.12", "2001:500:2::c"),
    ("d.root-servers.net.", "199.7.91.13", "2001:500:2d::d"),
    ("e.root-servers.net.", "192.203.230.10", "2001:500:a8::e"),
    ("f.root-servers.net.", "192.5.5.241", "2001:500:2f::f"),
    ("g.root-servers.net.", "192.112.36.4", "2001:500:12::d0d"),
    ("h.root-servers.net.", "198.97.190.53", "2001:500:1::53"),
    ("i.root-servers.net.", "192.36.148.17", "2001:7fe::53"),
    ("j.root-servers.net.", "192.58.128.30", "2001:503:c27::2:30"),
    ("k.root-servers.net.", "193.0.14.129", "2001:7fd::1"),
    ("l.root-servers.net.", "199.7.83.42", "2001:500:9f::42"),
    ("m.root-servers.net.", "202.12.27.33", "2001:dc3::35"),
];

/// The embedded root hints.
pub(crate) fn embedded() -> Vec<Hint> {
    EMBEDDED
        .iter()
        .map(|(name, v4, v6)| Hint {
            name: crate::dns::names::parse(name).expect("embedded root server names are valid"),
            addrs: vec![v4.parse().expect("valid IPv4"), v6.parse().expect("valid IPv6")],
        })
        .collect()
}

/// Parses a hints file in `named.root` format: `. NS name` lines and the names' `A` and
/// `AAAA` lines (TTL and class optional, `;` comments).
///
/// # Errors
/// A message naming the line when a record cannot be read, or when no root server with
/// an address is left.
pub(crate) fn parse(text: &str) -> Result<Vec<Hint>, String> {
    let mut servers: Vec<Name> = Vec::new();
    let mut addresses: Vec<(Name, IpAddr)> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.split(';').next().unwrap_or_default();
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(type_at) = words
            .iter()
            .position(|w| matches!(w.to_ascii_uppercase().as_str(), "NS" | "A" | "AAAA"))
        else {
            if words.is_empty() {
                continue;
            }
            return Err(format!("line {}: expected an NS, A or AAAA record", number + 1));
        };
        let bad = |what: &str| format!("line {}: {what}", number + 1);
        let (Some(owner), Some(data)) = (words.first(), words.get(type_at + 1)) else {
            return Err(bad("a record needs an owner and data"));
        };
        let owner = crate::dns::names::parse(owner).map_err(|e| bad(&e.to_string()))?;
        match words[type_at].to_ascii_uppercase().as_str() {
            "NS" if owner.is_root() => {
                servers.push(crate::dns::names::parse(data).map_err(|e| bad(&e.to_string()))?)
            }
            "NS" => return Err(bad("NS records in a hints file must belong to the root")),
            rtype => {
                let addr: IpAddr = data
                    .parse()
                    .map_err(|_| bad(&format!("'{data}' is not an address")))?;
                if (rtype == "A") != addr.is_ipv4() {
                    return Err(bad(&format!("'{data}' does not fit an {rtype} record")));
                }
                addresses.push((owner, addr));
            }
        }
    }
    let hints: Vec<Hint> = servers
        .into_iter()
        .map(|name| {
            let mut addrs: Vec<IpAddr> = addresses
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, a)| *a)
                .collect();
            addrs.sort_by_key(IpAddr::is_ipv6);
            Hint { name, addrs }
        })
        .filter(|h| !h.addrs.is_empty())
        .collect();
    if hints.is_empty() {
        return Err(
            "no root server with an address (expected '. NS name' and 'name A addr' lines)".to_owned(),
        );
    }
    Ok(hints)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_hints_name_thirteen_servers_with_both_families() {
        let hints = embedded();
        assert_eq!(hints.len(), 13);
        assert!(
            hints
                .iter()
                .all(|h| h.addrs.len() == 2 && h.addrs[0].is_ipv4() && h.addrs[1].is_ipv6())
        );
        assert_eq!(hints[1].addrs[0].to_string(), "170.247.170.2");
    }

    #[test]
    fn named_root_format() {
        let text = ";       This file holds the information on root name servers\n\
                    .                        3600000      NS    A.ROOT-SERVERS.NET.\n\
                    A.ROOT-SERVERS.NET.      3600000      A     127.0.0.10\n\
                    A.ROOT-SERVERS.NET.      3600000      AAAA  ::1\n\
                    . NS b.root.test.\n\
                    b.root.test. IN A 127.0.0.11 ; trailing comment\n\
                    . NS c.root.test.\n";
        let hints = parse(text).unwrap();
        assert_eq!(hints.len(), 2, "c.root.test has no address and is left out");
        assert_eq!(
            hints[0].addrs,
            ["127.0.0.10".parse::<IpAddr>().unwrap(), "::1".parse().unwrap()]
        );
        assert_eq!(hints[1].addrs, ["127.0.0.11".parse::<IpAddr>().unwrap()]);
    }

    #[test]
    fn bad_hints_say_where() {
        assert!(
            parse(". NS a.test.\na.test. A 300.1.1.1\n")
                .unwrap_err()
                .starts_with("line 2:")
        );
        assert!(parse("a.test. A ::1\n").unwrap_err().contains("does not fit"));
        assert!(
            parse("example. NS a.test.\n")
                .unwrap_err()
                .contains("must belong to the root")
        );
        assert!(parse("garbage line\n").unwrap_err().starts_with("line 1"));
        assert!(parse("").unwrap_err().contains("no root server"));
    }
}
