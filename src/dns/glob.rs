//! Shell-style patterns for names and data: `*` is any run of characters (dots
//! included), `?` one character; matching ignores ASCII case.

/// Whether `text` matches `pattern`.
pub(crate) fn matches(pattern: &str, text: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let text = text.to_ascii_lowercase();
    matches_bytes(pattern.as_bytes(), text.as_bytes(), false)
}

/// As [`matches`], where `#` also stands for one or more digits (for provider patterns
/// such as `ns-#.awsdns-#.org`).
pub(crate) fn matches_with_digits(pattern: &str, text: &str) -> bool {
    matches_bytes(pattern.as_bytes(), text.to_ascii_lowercase().as_bytes(), true)
}

fn matches_bytes(pattern: &[u8], text: &[u8], digits: bool) -> bool {
    // Iterative wildcard matching with one backtrack point per `*` (linear in practice).
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
                continue;
            }
            Some(b'#') if digits && text[t].is_ascii_digit() => {
                let run = text[t..].iter().take_while(|b| b.is_ascii_digit()).count();
                // Digits are greedy but must leave the rest of the pattern a chance.
                if (1..=run)
                    .rev()
                    .any(|n| matches_bytes(&pattern[p + 1..], &text[t + n..], digits))
                {
                    return true;
                }
            }
            Some(b'?') if !digits || pattern[p] == b'?' => {
                p += 1;
                t += 1;
                continue;
            }
            Some(&c) if c == text[t] && !(digits && c == b'#') => {
                p += 1;
                t += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_questions() {
        assert!(matches("*.cloudfront.net.", "d111abcdef8.cloudfront.net."));
        assert!(matches("ns-*.awsdns-*", "NS-1.AWSDNS-01.org."));
        assert!(matches("v=spf1 *", "v=spf1 -all"));
        assert!(matches("a?c", "abc"));
        assert!(!matches("*.cloudfront.net.", "cloudfront.net."));
        assert!(!matches("a?c", "ac"));
        assert!(matches("*", ""));
        assert!(!matches("", "x"));
    }

    #[test]
    fn digit_runs() {
        assert!(matches_with_digits("ns-#.awsdns-#.org", "ns-1234.awsdns-56.org"));
        assert!(!matches_with_digits("ns-#.awsdns-#.org", "ns-x.awsdns-56.org"));
        assert!(matches_with_digits("ns#-#.azure-dns.com", "ns1-03.azure-dns.com"));
        assert!(matches_with_digits("*.cloudfront.net", "d1.cloudfront.net"));
    }
}
