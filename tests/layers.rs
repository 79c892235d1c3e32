//! The source tree's layering, held by a test rather than by memory.
//!
//! Each folder of `src/` says in its `mod.rs` which folders it may use
//! (`//! May use: dns, transport.`). This test reads every `src/**/*.rs`, collects the
//! `crate::FOLDER` paths each file names (code and doc links alike), and fails on:
//! - a folder without a "May use:" line, or naming one that does not exist;
//! - a file that names a folder its own folder may not use;
//! - a circle in the declared graph (so the order is a real layering, not a list);
//! - a circle between the files of one folder. A folder's `mod.rs` is its face, used by
//!   and using its children, so edges to and from it are left out of that check.
//!
//! A grep-level reading of the source is enough here: dnscope spells its paths
//! `crate::folder::file::Item` and never re-exports across folders, and the self-test
//! below proves the reader catches the mistakes it exists for.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// One source file: its folder under `src/` (empty for `lib.rs`, `main.rs`), its file
/// module name (`mod` for `mod.rs`) and its text.
struct Source {
    folder: String,
    module: String,
    text: String,
}

fn read_tree(root: &Path) -> Vec<Source> {
    let mut sources = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap();
                let parts: Vec<String> = relative
                    .iter()
                    .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
                    .collect();
                let (folder, module) = match parts.as_slice() {
                    [_file] => (String::new(), parts[0].clone()),
                    [folder, rest @ ..] => (folder.clone(), rest.join("::")),
                    [] => unreachable!(),
                };
                sources.push(Source {
                    folder,
                    module,
                    text: fs::read_to_string(&path).unwrap(),
                });
            }
        }
    }
    sources
}

/// The segments of the path at the start of `text`: `a::b::C` gives `[a, b, C]`.
fn segments(text: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let mut tail = text;
    loop {
        let segment: String = tail
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if segment.is_empty() {
            return segments;
        }
        tail = &tail[segment.len()..];
        segments.push(segment);
        match tail.strip_prefix("::") {
            Some(t) => tail = t,
            None => return segments,
        }
    }
}

/// Every `crate::a::b` path in `text`, as its segments; a group `crate::{a::b, c}`
/// gives each of its items.
fn crate_paths(text: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `dnscrate::` or similar, not a path of ours
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            paths.extend(
                group[..end]
                    .split(',')
                    .map(|item| segments(item.trim()))
                    .filter(|s| !s.is_empty()),
            );
        } else {
            paths.push(segments(rest));
        }
    }
    paths.retain(|p| !p.is_empty());
    paths
}

/// The folders named on a `mod.rs`'s "May use:" line; `None` without one.
fn declared_uses(text: &str) -> Option<BTreeSet<String>> {
    let line = text
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .find_map(|l| l.strip_prefix("//! May use:"))?;
    let list = line.split(['.', '(']).next().unwrap_or("");
    Some(
        list.split(',')
            .map(|w| w.trim().to_owned())
            .filter(|w| !w.is_empty() && w != "nothing")
            .collect(),
    )
}

/// A circle in `graph`, as the nodes along it, if there is one.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

/// Everything wrong with the layering of `sources`.
fn violations(sources: &[Source]) -> Vec<String> {
    let mut problems = Vec::new();
    let folders: BTreeSet<String> = sources
        .iter()
        .filter(|s| !s.folder.is_empty())
        .map(|s| s.folder.clone())
        .collect();
    let mut allowed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for folder in &folders {
        let face = sources.iter().find(|s| &s.folder == folder && s.module == "mod");
        match face.and_then(|s| declared_uses(&s.text)) {
            Some(uses) => {
                for unknown in uses.iter().filter(|u| !folders.contains(*u)) {
                    problems.push(format!(
                        "src/{folder}/mod.rs may use '{unknown}', which is not a folder"
                    ));
                }
                allowed.insert(folder.clone(), uses);
            }
            None => problems.push(format!("src/{folder}/mod.rs has no '//! May use:' line")),
        }
    }
    if let Some(circle) = find_circle(&allowed) {
        problems.push(format!(
            "the declared layers form a circle: {}",
            circle.join(" → ")
        ));
    }

    let mut file_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in sources.iter().filter(|s| !s.folder.is_empty()) {
        let folder = &source.folder;
        let file = format!("{folder}/{}", source.module);
        let siblings: BTreeSet<&str> = sources
            .iter()
            .filter(|s| &s.folder == folder && s.module != "mod")
            .map(|s| s.module.as_str())
            .collect();
        for path in crate_paths(&source.text) {
            let named = &path[0];
            if !folders.contains(named) {
                problems.push(format!("{file}.rs names crate::{named}, which is not a folder"));
            } else if named == folder {
                let sibling = path.get(1).map(String::as_str).filter(|m| siblings.contains(m));
                if let Some(sibling) = sibling
                    && source.module != "mod"
                    && sibling != source.module
                {
                    file_edges
                        .entry(file.clone())
                        .or_default()
                        .insert(format!("{folder}/{sibling}"));
                }
            } else if !allowed.get(folder).is_some_and(|a| a.contains(named)) {
                problems.push(format!(
                    "{file}.rs uses crate::{named}, which {folder}/ may not use"
                ));
            }
        }
        for line in source.text.lines() {
            for (at, _) in line.match_indices("super::") {
                let sibling: String = line[at + "super::".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if source.module != "mod" && siblings.contains(sibling.as_str()) && sibling != source.module {
                    file_edges
                        .entry(file.clone())
                        .or_default()
                        .insert(format!("{folder}/{sibling}"));
                }
            }
        }
    }
    if let Some(circle) = find_circle(&file_edges) {
        problems.push(format!(
            "files import each other in a circle: {}",
            circle.join(" → ")
        ));
    }
    problems
}

#[test]
fn the_source_tree_keeps_its_layers() {
    let sources = read_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(sources.len() > 20, "read only {} files", sources.len());
    let problems = violations(&sources);
    assert!(problems.is_empty(), "layering broken:\n{}", problems.join("\n"));
}

#[test]
fn the_reader_catches_upward_imports_and_circles() {
    let source = |folder: &str, module: &str, text: &str| Source {
        folder: folder.to_owned(),
        module: module.to_owned(),
        text: text.to_owned(),
    };
    let good = vec![
        source("dns", "mod", "//! Wire.\n//!\n//! May use: nothing.\n"),
        source("dns", "names", "fn f() {}\n"),
        source("model", "mod", "//! Data.\n//!\n//! May use: dns (names).\n"),
        source(
            "model",
            "report",
            "use crate::dns::names;\nuse crate::model::exit::Exit;\n",
        ),
        source("model", "exit", "use crate::{dns::names, model::report};\n"),
    ];
    assert_eq!(
        violations(&good),
        vec!["files import each other in a circle: model/exit → model/report → model/exit"]
    );

    let upward = vec![
        source("dns", "mod", "//! Wire.\n//!\n//! May use: nothing.\n"),
        source(
            "dns",
            "names",
            "/// See [`x`](crate::model::report::Report).\nfn f() {}\n",
        ),
        source("model", "mod", "//! Data.\n//!\n//! May use: dns.\n"),
        source("model", "report", "use super::exit;\n"),
        source("model", "exit", "use super::report;\n"),
        source("walk", "mod", "//! Walk.\n"),
    ];
    let found = violations(&upward);
    assert!(
        found.contains(&"dns/names.rs uses crate::model, which dns/ may not use".to_owned()),
        "{found:?}"
    );
    assert!(
        found.contains(&"src/walk/mod.rs has no '//! May use:' line".to_owned()),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("files import each other in a circle")),
        "{found:?}"
    );

    let declared_circle = vec![
        source("dns", "mod", "//! May use: model.\n"),
        source("model", "mod", "//! May use: dns.\n"),
    ];
    assert_eq!(
        violations(&declared_circle),
        vec!["the declared layers form a circle: dns → model → dns"]
    );
}
