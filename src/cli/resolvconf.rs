//! resolv.conf(5): the default servers, search list and timers.
//!
//! Read leniently, as the C library does: unknown lines and bad values are skipped, the
//! last `search`/`domain` line wins, `timeout` and `attempts` are capped like glibc's.

use std::net::IpAddr;
use std::time::Duration;

use hickory_proto::rr::Name;

/// What dnscope uses of a resolv.conf.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ResolvConf {
    /// `nameserver` addresses in file order.
    pub nameservers: Vec<IpAddr>,
    /// `search` domains (or the single `domain`).
    pub search: Vec<Name>,
    /// `options ndots:N` (default 1).
    pub ndots: u8,
    /// `options timeout:N`.
    pub timeout: Option<Duration>,
    /// `options attempts:N`.
    pub attempts: Option<u32>,
}

/// glibc caps (resolv/res_init.c: RES_MAXNDOTS, RES_MAXRETRANS, RES_MAXRETRY).
const MAX_NDOTS: u8 = 15;
const MAX_TIMEOUT_SECS: u64 = 30;
const MAX_ATTEMPTS: u32 = 5;

/// Parses resolv.conf text.
pub(crate) fn parse(text: &str) -> ResolvConf {
    let mut conf = ResolvConf {
        ndots: 1,
        ..ResolvConf::default()
    };
    for line in text.lines() {
        let line = line.split(['#', ';']).next().unwrap_or_default();
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => {
                // A scoped IPv6 address (fe80::1%eth0) needs an interface index; skip it.
                if let Some(addr) = words.next().and_then(|w| w.parse::<IpAddr>().ok()) {
                    conf.nameservers.push(addr);
                }
            }
            Some("search") => conf.search = words.filter_map(domain).collect(),
            Some("domain") => conf.search = words.next().and_then(domain).into_iter().collect(),
            Some("options") => {
                for option in words {
                    apply_option(&mut conf, option);
                }
            }
            _ => {}
        }
    }
    conf
}

fn domain(word: &str) -> Option<Name> {
    crate::dns::names::parse(word).ok().filter(|n| !n.is_root())
}

fn apply_option(conf: &mut ResolvConf, option: &str) {
    let Some((key, value)) = option.split_once(':') else {
        return;
    };
    let Ok(value) = value.parse::<u64>() else { return };
    match key {
        "ndots" => conf.ndots = u8::try_from(value).unwrap_or(u8::MAX).min(MAX_NDOTS),
        "timeout" => conf.timeout = Some(Duration::from_secs(value.clamp(1, MAX_TIMEOUT_SECS))),
        "attempts" => conf.attempts = Some(u32::try_from(value).unwrap_or(u32::MAX).clamp(1, MAX_ATTEMPTS)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_dig_reads() {
        let conf = parse(
            "# comment\nnameserver 127.0.0.53\nnameserver ::1 # trailing\nnameserver fe80::1%eth0\n\
             nameserver bogus\ndomain ignored.test\nsearch corp.test lab.test\n\
             options ndots:2 timeout:2 attempts:9 rotate\nsortlist 10.0.0.0\n",
        );
        assert_eq!(
            conf.nameservers,
            ["127.0.0.53".parse::<IpAddr>().unwrap(), "::1".parse().unwrap()]
        );
        let search: Vec<String> = conf
            .search
            .iter()
            .map(|n| crate::dns::names::format(n, Default::default()))
            .collect();
        assert_eq!(search, ["corp.test.", "lab.test."]);
        assert_eq!(conf.ndots, 2);
        assert_eq!(conf.timeout, Some(Duration::from_secs(2)));
        assert_eq!(conf.attempts, Some(5));
    }

    #[test]
    fn empty_file_has_defaults() {
        let conf = parse("");
        assert!(conf.nameservers.is_empty());
        assert_eq!(conf.ndots, 1);
        assert_eq!(conf.timeout, None);
    }
}
