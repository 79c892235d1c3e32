//! Check files: their shape (JSON or TOML, `schema/check.schema.json`), loading, and
//! each check turned into the command line a user would type.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// How a check asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckMode {
    /// One query to the server.
    Direct,
    /// An iterative walk from the root hints.
    Trace,
}

/// One check, or (without `name`, `query` and `expect`) the defaults of every check.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub rtype: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<CheckMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dnssec: Option<bool>,
    /// With trace mode: `+nsall`, so findings can be expected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nsall: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_hints: Option<String>,
    /// With trace mode and `dnssec`: trust anchors to validate from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust_anchor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect: Option<Vec<String>>,
}

/// A whole check file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckFile {
    /// The schema the file declares, if any (ignored).
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Settings every check inherits.
    #[serde(default)]
    pub defaults: CheckSpec,
    pub checks: Vec<CheckSpec>,
}

/// Reads a check file: TOML when its name ends in `.toml`, JSON otherwise.
///
/// # Errors
/// A message with the file name and, for syntax errors, the line and column.
pub fn load(path: &Path, text: &str) -> Result<CheckFile, String> {
    let shown = path.display();
    let file: CheckFile = if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")) {
        toml::from_str(text)
            .map_err(|e| format!("check file {shown}: {}", e.to_string().replace('\n', " ")))?
    } else {
        serde_json::from_str(text).map_err(|e| format!("check file {shown}: {e}"))?
    };
    let d = &file.defaults;
    if d.name.is_some() || d.query.is_some() || d.expect.is_some() {
        return Err(format!(
            "check file {shown}: defaults cannot hold name, query or expect"
        ));
    }
    if file.checks.is_empty() {
        return Err(format!("check file {shown}: no checks"));
    }
    if let Some(i) = file
        .checks
        .iter()
        .position(|c| c.query.as_deref().is_none_or(str::is_empty))
    {
        return Err(format!("check file {shown}: check {} has no query", i + 1));
    }
    Ok(file)
}

impl CheckSpec {
    /// This check with the defaults filled in.
    pub(crate) fn merged(&self, d: &CheckSpec) -> CheckSpec {
        CheckSpec {
            name: self.name.clone(),
            query: self.query.clone(),
            rtype: self.rtype.clone().or_else(|| d.rtype.clone()),
            class: self.class.clone().or_else(|| d.class.clone()),
            server: self.server.clone().or_else(|| d.server.clone()),
            port: self.port.or(d.port),
            mode: self.mode.or(d.mode),
            tcp: self.tcp.or(d.tcp),
            dnssec: self.dnssec.or(d.dnssec),
            nsall: self.nsall.or(d.nsall),
            timeout: self.timeout.clone().or_else(|| d.timeout.clone()),
            tries: self.tries.or(d.tries),
            root_hints: self.root_hints.clone().or_else(|| d.root_hints.clone()),
            trust_anchor: self.trust_anchor.clone().or_else(|| d.trust_anchor.clone()),
            expect: self.expect.clone(),
        }
    }

    /// The name shown for this check.
    pub(crate) fn title(&self) -> String {
        self.name.clone().unwrap_or_else(|| {
            format!(
                "{} {}",
                self.query.as_deref().unwrap_or_default(),
                self.rtype.as_deref().unwrap_or("A")
            )
        })
    }

    /// The command line a user would type for this check. Relative root hints are
    /// relative to the check file's folder.
    pub(crate) fn argv(&self, base: &Path, resolv_conf: Option<&Path>) -> Vec<String> {
        let mut argv = vec!["dnscope".to_owned()];
        argv.extend(self.query.iter().cloned());
        argv.extend(self.rtype.iter().cloned());
        argv.extend(self.class.iter().cloned());
        argv.extend(self.server.iter().map(|s| format!("@{s}")));
        let mut flag = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                argv.extend([name.to_owned(), value]);
            }
        };
        flag("-p", self.port.map(|p| p.to_string()));
        flag("--timeout", self.timeout.clone());
        flag("--tries", self.tries.map(|t| t.to_string()));
        flag(
            "--root-hints",
            self.root_hints
                .as_ref()
                .map(|h| base.join(h).display().to_string()),
        );
        flag(
            "--trust-anchor",
            self.trust_anchor
                .as_ref()
                .map(|a| base.join(a).display().to_string()),
        );
        for expectation in self.expect.iter().flatten() {
            flag("--expect", Some(expectation.clone()));
        }
        for (on, word) in [
            (self.mode == Some(CheckMode::Trace), "+trace"),
            (self.nsall == Some(true), "+nsall"),
            (self.tcp == Some(true), "+tcp"),
            (self.dnssec == Some(true), "+dnssec"),
        ] {
            if on {
                argv.push(word.to_owned());
            }
        }
        // Last: it is the run's, not the check's, and the question reads first.
        if let Some(conf) = resolv_conf {
            argv.extend(["--resolv-conf".to_owned(), conf.display().to_string()]);
        }
        argv
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: &str = r#"{
        "defaults": {"server": "127.0.0.1", "port": 5300, "timeout": "2s"},
        "checks": [
            {"name": "apex A", "query": "example.test", "expect": ["A=192.0.2.30"]},
            {"query": "www.example.test", "mode": "trace", "root_hints": "lab.hints", "server": "127.0.0.10",
             "expect": ["CNAME=*.cloudfront.net"]},
            {"query": "example.test", "type": "MX", "tcp": true, "dnssec": true, "tries": 1, "class": "IN"}
        ]
    }"#;

    #[test]
    fn checks_become_command_lines() {
        let file = load(Path::new("site.json"), SITE).unwrap();
        let argv: Vec<String> = file
            .checks
            .iter()
            .map(|c| c.merged(&file.defaults).argv(Path::new("/etc/dns"), None)[1..].join(" "))
            .collect();
        assert_eq!(
            argv,
            [
                "example.test @127.0.0.1 -p 5300 --timeout 2s --expect A=192.0.2.30",
                "www.example.test @127.0.0.10 -p 5300 --timeout 2s --root-hints /etc/dns/lab.hints --expect CNAME=*.cloudfront.net +trace",
                "example.test MX IN @127.0.0.1 -p 5300 --timeout 2s --tries 1 +tcp +dnssec",
            ]
        );
        assert_eq!(file.checks[1].title(), "www.example.test A");
    }

    #[test]
    fn toml_is_read_the_same_way() {
        let toml = "[defaults]\nserver = \"127.0.0.1\"\nport = 5300\ntimeout = \"2s\"\n\n\
                    [[checks]]\nname = \"apex A\"\nquery = \"example.test\"\nexpect = [\"A=192.0.2.30\"]\n";
        let file = load(Path::new("site.toml"), toml).unwrap();
        let json = load(Path::new("site.json"), SITE).unwrap();
        assert_eq!(file.checks[0], json.checks[0]);
        assert_eq!(file.defaults, json.defaults);
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        for (text, needle) in [
            (r#"{"checks": [{"querry": "a.test"}]}"#, "unknown field `querry`"),
            (r#"{"checks": []}"#, "no checks"),
            (r#"{"checks": [{"name": "x"}]}"#, "check 1 has no query"),
            (
                r#"{"defaults": {"query": "a"}, "checks": [{"query": "b"}]}"#,
                "defaults cannot hold",
            ),
            ("{\"checks\": [\n{\"query\": }]}", "line 2 column"),
            (
                r#"{"checks": [{"query": "a", "mode": "recursive"}]}"#,
                "unknown variant `recursive`",
            ),
        ] {
            let error = load(Path::new("f.json"), text).unwrap_err();
            assert!(error.contains(needle), "{text}: {error}");
            assert!(error.starts_with("check file f.json: "), "{error}");
        }
    }
}
