//! The colours of the text output, chosen once per run and passed as a value: no
//! process-global colour state, so parallel tests and library use stay deterministic.

use owo_colors::Style;

/// One style per kind of thing printed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    pub owner: Style,
    pub ttl: Style,
    pub class: Style,
    pub rtype: Style,
    pub data: Style,
    pub comment: Style,
    pub good: Style,
    pub bad: Style,
    pub warn: Style,
}

impl Palette {
    /// No escapes at all.
    pub(crate) fn plain() -> Self {
        let s = Style::new();
        Self {
            owner: s,
            ttl: s,
            class: s,
            rtype: s,
            data: s,
            comment: s,
            good: s,
            bad: s,
            warn: s,
        }
    }

    /// ANSI colours.
    pub(crate) fn ansi() -> Self {
        let s = Style::new();
        Self {
            owner: s.bold(),
            ttl: s.cyan(),
            class: s.dimmed(),
            rtype: s.magenta().bold(),
            data: s.green(),
            comment: s.dimmed(),
            good: s.green().bold(),
            bad: s.red().bold(),
            warn: s.yellow(),
        }
    }

    /// The palette for a colour decision.
    pub(crate) fn new(colour: bool) -> Self {
        if colour { Self::ansi() } else { Self::plain() }
    }
}
