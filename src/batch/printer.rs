//! Writing a batch's results: as they come, or in input order with `--ordered`, each
//! line exactly once, the exit status the worst of all.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::Done;
use crate::cli::lines::BatchPlan;
use crate::model::exit::Exit;
use crate::model::report::ErrorReport;
use crate::render::{self, Format};

/// Writes results as they come, or in input order.
pub(super) struct Printer<'a> {
    batch: &'a BatchPlan,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    exit: Exit,
    shown: usize,
    broken: bool,
    pending: BTreeMap<usize, Done>,
    next_index: usize,
    /// Which lines (by index) have had their result, so that none is lost or doubled.
    answered: Vec<bool>,
}

impl<'a> Printer<'a> {
    pub(super) fn new(
        batch: &'a BatchPlan,
        lines: usize,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
    ) -> Self {
        Self {
            batch,
            out,
            err,
            exit: Exit::ANSWER,
            shown: 0,
            broken: false,
            pending: BTreeMap::new(),
            next_index: 0,
            answered: vec![false; lines],
        }
    }

    pub(super) fn accept(&mut self, done: Done) {
        match self.answered.get_mut(done.index) {
            Some(answered) if !*answered => *answered = true,
            _ => return,
        }
        if !self.batch.ordered {
            self.next_index += 1;
            return self.show(done);
        }
        self.pending.insert(done.index, done);
        while let Some(done) = self.pending.remove(&self.next_index) {
            self.next_index += 1;
            self.show(done);
        }
    }

    /// The lines taken before `taken` that never got a result: a worker died with them.
    pub(super) fn lost(&self, taken: usize) -> Vec<usize> {
        (0..taken.min(self.answered.len()))
            .filter(|&i| !self.answered[i])
            .collect()
    }

    /// Lines shown so far.
    pub(super) fn shown_lines(&self) -> usize {
        self.next_index
    }

    /// Whether writing failed (a closed pipe): the batch should stop.
    pub(super) fn broken(&self) -> bool {
        self.broken
    }

    fn show(&mut self, done: Done) {
        if self.broken {
            return;
        }
        let json = self.batch.format == Format::Json;
        let written = match done.result {
            Err(error) => {
                self.exit = self.exit.worst(error.exit());
                if json {
                    let mut report = ErrorReport::of(&error);
                    report.line = Some(done.line);
                    serde_json::to_writer(&mut *self.out, &report)
                        .map_err(io::Error::from)
                        .and_then(|()| writeln!(self.out))
                } else {
                    writeln!(self.err, "dnscope: line {}: {error}", done.line)
                }
            }
            Ok(outcomes) => outcomes.into_iter().try_for_each(|mut outcome| {
                self.exit = self.exit.worst(outcome.exit());
                outcome.set_line(done.line);
                let options = render::Options {
                    format: self.batch.format,
                    display: self.batch.display,
                    command_line: "",
                    index: self.shown,
                };
                self.shown += 1;
                render::outcome(&outcome, &options, self.out, self.err)
            }),
        };
        if written.is_err() {
            self.broken = true;
        }
    }

    /// Flushes what was written; once per bundle of results, not once per result.
    pub(super) fn flush(&mut self) {
        if !self.broken && self.out.flush().is_err() {
            self.broken = true;
        }
    }

    pub(super) fn finish(mut self) -> Exit {
        self.flush();
        self.exit
    }
}
