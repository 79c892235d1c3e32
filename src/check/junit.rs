//! JUnit XML for `dnscope check --junit`, the format CI systems display as test
//! results. A tiny writer: one suite, one test case per check, a `<failure>` for a
//! failed expectation or rcode and an `<error>` for a check that got no reply.

use std::fmt::Write as _;

use crate::check::report::CheckReport;

/// The JUnit XML of a check run.
pub(crate) fn render(report: &CheckReport) -> String {
    let errors = report
        .checks
        .iter()
        .filter(|c| !c.passed && is_error(c.exit_code))
        .count();
    let failures = report.summary.failed - errors;
    let seconds = |us: u64| format!("{:.3}", us as f64 / 1e6);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"dnscope check\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{}\">",
        report.summary.total,
        seconds(report.summary.total_us)
    );
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{}\">",
        escape(&report.file),
        report.summary.total,
        seconds(report.summary.total_us)
    );
    for check in &report.checks {
        let _ = write!(
            xml,
            "    <testcase name=\"{}\" classname=\"dnscope.check\" time=\"{}\"",
            escape(&check.name),
            seconds(check.duration_us)
        );
        if check.passed {
            xml.push_str("/>\n");
            continue;
        }
        xml.push_str(">\n");
        let failed: Vec<String> = check
            .expectations
            .iter()
            .filter(|v| !v.passed)
            .map(|v| format!("{} (seen: {})", v.expect, v.seen))
            .collect();
        let (tag, message) = match (&check.error, is_error(check.exit_code)) {
            (Some(error), true) => ("error", error.clone()),
            _ if !failed.is_empty() => ("failure", failed.join("; ")),
            (Some(error), false) => ("failure", error.clone()),
            (None, _) => ("failure", format!("exit code {}", check.exit_code)),
        };
        let _ = writeln!(
            xml,
            "      <{tag} message=\"{}\" type=\"{}\">{}</{tag}>",
            escape(&message),
            if tag == "error" { "no_reply" } else { "expectation" },
            escape(&format!("dnscope {}\n{message}", check.command))
        );
        xml.push_str("    </testcase>\n");
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

/// A check that could not be judged (no reply, our own failure) is an error, not a failure.
fn is_error(exit_code: u8) -> bool {
    matches!(exit_code, 9 | 10)
}

/// XML 1.0 text: the five special characters escaped, other control characters dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            super::escape("a<b & \"c\" 'd'>\u{1b}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
    }
}
