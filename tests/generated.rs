//! The committed completions and man page must be what the binary generates.
//!
//! Outside CI a stale file is rewritten and the test fails, so `cargo test` twice
//! brings them up to date; in CI (CI is set) it only fails.

use std::path::Path;

#[test]
fn completions_and_man_page_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let in_ci = std::env::var_os("CI").is_some();
    let mut stale = Vec::new();
    for (path, contents) in dnscope::cli::generate::files() {
        let file = root.join(path);
        if std::fs::read_to_string(&file).ok().as_deref() != Some(contents.as_str()) {
            stale.push(path);
            if !in_ci {
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(&file, contents).unwrap();
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} were not up to date{}; commit them",
        if in_ci { "" } else { " and were rewritten" }
    );
}

#[test]
fn generate_flag_prints_the_same_files() {
    for (what, path) in [("bash", "completions/dnscope.bash"), ("man", "man/dnscope.1")] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_dnscope"))
            .args(["--generate", what])
            .env_clear()
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        let expected = dnscope::cli::generate::files()
            .into_iter()
            .find(|(p, _)| *p == path)
            .unwrap()
            .1;
        assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
    }
}

#[test]
fn man_page_documents_every_plus_option_and_exit_code() {
    let man = dnscope::cli::generate::files()
        .into_iter()
        .find(|(p, _)| *p == "man/dnscope.1")
        .unwrap()
        .1;
    for spec in dnscope::cli::plusopts::OPTIONS {
        assert!(
            man.contains(&spec.name.replace('-', "\\-")),
            "+{} missing",
            spec.name
        );
    }
    for code in [0, 1, 3, 4, 5, 6, 7, 8, 9, 10] {
        assert!(
            man.contains(&format!(".TP\n\\fB{code}\\fR\n")),
            "exit code {code} missing"
        );
    }
}

#[test]
fn readme_lists_every_plus_option() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for spec in dnscope::cli::plusopts::OPTIONS {
        let shown = if spec.negatable {
            format!("+[no]{}", spec.name)
        } else {
            format!("+{}", spec.name)
        };
        assert!(readme.contains(&shown), "README does not list {shown}");
    }
}
