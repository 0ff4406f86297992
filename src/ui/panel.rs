//! The settings panel (`o`): every setting the flags take, edited in place. Text fields are
//! checked as typed by the flags' own rules ([`crate::front::validate`]), so the panel, the
//! command line and `--config` accept exactly the same values; nothing applies until every
//! field is valid. The contenders are six switches, the protocol is one. The panel also
//! writes the command line that reruns the same experiment headless.
//!
//! Editing is at the end of a field (type, ⌫ erases, Del clears): short values do not need a
//! cursor, and a field without one cannot be left half-edited out of sight.

use std::path::Path;

use crate::data::source::{self, DataSource};
use crate::front::cli;
use crate::front::validate;
use crate::nn::Hyper;
use crate::train::{Contender, Protocol, Settings};

/// One row of the panel, in the order shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `--lr`.
    Lr,
    /// `--batch-size`.
    BatchSize,
    /// `--hidden`.
    Hidden,
    /// `--epochs`.
    Epochs,
    /// `--seed`.
    Seed,
    /// `--optimizers`: six switches.
    Contenders,
    /// `--protocol`: fair or chain.
    Protocol,
    /// `--momentum`.
    Momentum,
    /// `--rho`.
    Rho,
    /// `--beta1`.
    Beta1,
    /// `--beta2`.
    Beta2,
    /// `--data` (empty: the embedded digits).
    Data,
    /// `--test-data` (empty: the 80/20 split).
    TestData,
    /// `--transpose-images`: a switch.
    Transpose,
}

impl Field {
    /// Every row, top to bottom.
    pub const ALL: [Self; 14] = [
        Self::Lr,
        Self::BatchSize,
        Self::Hidden,
        Self::Epochs,
        Self::Seed,
        Self::Contenders,
        Self::Protocol,
        Self::Momentum,
        Self::Rho,
        Self::Beta1,
        Self::Beta2,
        Self::Data,
        Self::TestData,
        Self::Transpose,
    ];

    /// The flag this row stands for, as the panel names it.
    pub fn flag(self) -> &'static str {
        match self {
            Self::Lr => "--lr",
            Self::BatchSize => "--batch-size",
            Self::Hidden => "--hidden",
            Self::Epochs => "--epochs",
            Self::Seed => "--seed",
            Self::Contenders => "--optimizers",
            Self::Protocol => "--protocol",
            Self::Momentum => "--momentum",
            Self::Rho => "--rho",
            Self::Beta1 => "--beta1",
            Self::Beta2 => "--beta2",
            Self::Data => "--data",
            Self::TestData => "--test-data",
            Self::Transpose => "--transpose-images",
        }
    }

    /// Whether the row is typed into (the others are switches).
    pub fn is_text(self) -> bool {
        !matches!(self, Self::Contenders | Self::Protocol | Self::Transpose)
    }

    /// The row's text checked by its flag's rule (an empty path means "none").
    fn check(self, text: &str) -> Result<(), String> {
        match self {
            Self::Lr => validate::positive_f64(text).map(drop),
            Self::BatchSize => validate::at_least_one_usize(text).map(drop),
            Self::Hidden => validate::hidden_sizes(text).map(drop),
            Self::Epochs => validate::at_least_one_u32(text).map(drop),
            Self::Seed => validate::any_u32(text).map(drop),
            Self::Momentum | Self::Rho | Self::Beta1 | Self::Beta2 => {
                validate::unit_interval(text).map(drop)
            }
            Self::Data | Self::TestData if text.is_empty() => Ok(()),
            Self::Data | Self::TestData => validate::existing_path(text).map(drop),
            Self::Contenders | Self::Protocol | Self::Transpose => Ok(()),
        }
    }
}

/// What a key does in the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelEdit {
    /// The next row (wraps).
    Next,
    /// The previous row (wraps).
    Prev,
    /// The contender to the left; the other protocol.
    Left,
    /// The contender to the right; the other protocol.
    Right,
    /// Switch the contender under the cursor, or the protocol; a space in a text field.
    Toggle,
    /// A character typed at the end of a text field.
    Type(char),
    /// Erase the last character.
    Erase,
    /// Empty the field.
    Clear,
    /// Restart with these settings, if all are valid.
    Apply,
    /// Close without changing anything.
    Discard,
}

/// What an edit came to, for the app to act on.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Still editing.
    Editing,
    /// Closed, nothing changed.
    Discarded,
    /// Some field is invalid: this message, and nothing applied.
    Invalid(String),
    /// A saved session's settings are shown, not changed.
    ReadOnly,
    /// Restart with these settings on this data.
    Apply(Box<Settings>, DataSource),
}

/// The panel's state: one text per text field, the switches, where the focus is.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    texts: Vec<(Field, String)>,
    contenders: [bool; 6],
    protocol: Protocol,
    transpose: bool,
    focus: usize,
    cursor: usize,
    read_only: bool,
    /// What stays as it was: the optimizer constant no field edits.
    eps: f64,
}

impl Panel {
    /// The panel filled in with `settings` and `data`; `read_only` for a saved session.
    pub fn new(settings: &Settings, data: &DataSource, read_only: bool) -> Self {
        let h = &settings.hyper;
        let (train, test) = data.paths();
        let shown = |p: Option<&Path>| p.map(|p| p.display().to_string()).unwrap_or_default();
        let hidden: Vec<String> = settings.hidden.iter().map(ToString::to_string).collect();
        let texts = vec![
            (Field::Lr, h.lr.to_string()),
            (Field::BatchSize, settings.batch_size.to_string()),
            (Field::Hidden, hidden.join(",")),
            (Field::Epochs, settings.epochs.to_string()),
            (Field::Seed, settings.seed.to_string()),
            (Field::Momentum, h.momentum.to_string()),
            (Field::Rho, h.rho.to_string()),
            (Field::Beta1, h.beta1.to_string()),
            (Field::Beta2, h.beta2.to_string()),
            (Field::Data, shown(train)),
            (Field::TestData, shown(test)),
        ];
        Self {
            texts,
            contenders: Contender::ALL.map(|c| settings.optimizers.contains(&c)),
            protocol: settings.protocol,
            transpose: data.transpose(),
            focus: 0,
            cursor: 0,
            read_only,
            eps: h.eps,
        }
    }

    /// The row with the focus.
    pub fn focus(&self) -> Field {
        Field::ALL[self.focus]
    }

    /// The contender under the cursor of the contenders row.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether contender `i` (of [`Contender::ALL`]) takes part.
    pub fn contender_on(&self, i: usize) -> bool {
        self.contenders.get(i).copied().unwrap_or(false)
    }

    /// The chosen protocol.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// Whether the images are read transposed.
    pub fn transpose(&self) -> bool {
        self.transpose
    }

    /// True for a saved session (`--open`): shown, not edited.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// A text field's text (`None` for the switches).
    pub fn text(&self, field: Field) -> Option<&str> {
        (self.texts.iter()).find_map(|(f, t)| (*f == field).then_some(t.as_str()))
    }

    /// Why a row's value is refused, as its flag's rule says it.
    pub fn error(&self, field: Field) -> Option<String> {
        match field {
            Field::Contenders if !self.contenders.contains(&true) => {
                Some("choose at least one".into())
            }
            _ => field.check(self.text(field)?).err(),
        }
    }

    /// The settings and data the panel describes, or the first refusal as `--flag rule`.
    pub fn settings(&self) -> Result<(Settings, DataSource), String> {
        if let Some((field, rule)) = (Field::ALL.iter()).find_map(|&f| Some((f, self.error(f)?))) {
            return Err(format!("{} {rule}", field.flag()));
        }
        let text = |f| self.text(f).unwrap_or_default();
        // Every text was just checked by the same rules, so none of these can fail; a failure
        // would still be reported, not unwrapped.
        let bad = |f: Field| move |rule: String| format!("{} {rule}", f.flag());
        let number = |f, rule: fn(&str) -> Result<f64, String>| rule(text(f)).map_err(bad(f));
        let path = |f| (!text(f).is_empty()).then(|| Path::new(text(f)));
        let settings = Settings {
            seed: validate::any_u32(text(Field::Seed)).map_err(bad(Field::Seed))?,
            epochs: validate::at_least_one_u32(text(Field::Epochs)).map_err(bad(Field::Epochs))?,
            batch_size: validate::at_least_one_usize(text(Field::BatchSize))
                .map_err(bad(Field::BatchSize))?,
            hidden: validate::hidden_sizes(text(Field::Hidden))
                .map_err(bad(Field::Hidden))?
                .0,
            hyper: Hyper {
                lr: number(Field::Lr, validate::positive_f64)?,
                momentum: number(Field::Momentum, validate::unit_interval)?,
                rho: number(Field::Rho, validate::unit_interval)?,
                beta1: number(Field::Beta1, validate::unit_interval)?,
                beta2: number(Field::Beta2, validate::unit_interval)?,
                eps: self.eps,
            },
            optimizers: (Contender::ALL.iter().zip(self.contenders))
                .filter_map(|(&c, on)| on.then_some(c))
                .collect(),
            protocol: self.protocol,
        };
        Ok((
            settings,
            source::source(path(Field::Data), path(Field::TestData)).transposed(self.transpose),
        ))
    }

    /// The command line that reruns these settings headless, once they are valid.
    pub fn command_line(&self) -> Option<String> {
        let (settings, data) = self.settings().ok()?;
        let words = cli::flags(&settings, &data).into_iter().map(|w| quoted(&w));
        Some(
            std::iter::once("digits-tui".to_owned())
                .chain(words)
                .collect::<Vec<_>>()
                .join(" "),
        )
    }

    /// Applies one key.
    pub fn edit(&mut self, edit: PanelEdit) -> Outcome {
        let rows = Field::ALL.len();
        let focus = self.focus();
        match edit {
            PanelEdit::Next => self.focus = (self.focus + 1) % rows,
            PanelEdit::Prev => self.focus = (self.focus + rows - 1) % rows,
            PanelEdit::Discard => return Outcome::Discarded,
            _ if self.read_only => return Outcome::ReadOnly,
            PanelEdit::Apply => {
                return match self.settings() {
                    Ok((settings, data)) => Outcome::Apply(Box::new(settings), data),
                    Err(message) => Outcome::Invalid(message),
                };
            }
            PanelEdit::Left | PanelEdit::Right if focus == Field::Contenders => {
                let n = self.contenders.len();
                let step = if edit == PanelEdit::Left { n - 1 } else { 1 };
                self.cursor = (self.cursor + step) % n;
            }
            PanelEdit::Left | PanelEdit::Right | PanelEdit::Toggle if focus == Field::Protocol => {
                self.protocol = match self.protocol {
                    Protocol::Fair => Protocol::Chain,
                    Protocol::Chain => Protocol::Fair,
                };
            }
            PanelEdit::Left | PanelEdit::Right | PanelEdit::Toggle if focus == Field::Transpose => {
                self.transpose = !self.transpose;
            }
            PanelEdit::Toggle if focus == Field::Contenders => {
                self.contenders[self.cursor] = !self.contenders[self.cursor];
            }
            PanelEdit::Toggle => self.type_char(focus, ' '),
            PanelEdit::Type(c) => self.type_char(focus, c),
            PanelEdit::Erase => {
                if let Some(t) = self.text_mut(focus) {
                    t.pop();
                }
            }
            PanelEdit::Clear => {
                if let Some(t) = self.text_mut(focus) {
                    t.clear();
                }
            }
            PanelEdit::Left | PanelEdit::Right => {}
        }
        Outcome::Editing
    }

    fn type_char(&mut self, field: Field, c: char) {
        if let Some(t) = self.text_mut(field)
            && !c.is_control()
        {
            t.push(c);
        }
    }

    fn text_mut(&mut self, field: Field) -> Option<&mut String> {
        (self.texts.iter_mut()).find_map(|(f, t)| (*f == field).then_some(t))
    }
}

/// A word as a POSIX shell reads it back: as is when it is safe, else in single quotes.
fn quoted(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./,:=+@%".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        return word.to_owned();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel() -> Panel {
        Panel::new(&Settings::default(), &"embedded".into(), false)
    }

    fn go_to(p: &mut Panel, field: Field) {
        while p.focus() != field {
            p.edit(PanelEdit::Next);
        }
    }

    fn retype(p: &mut Panel, field: Field, text: &str) {
        go_to(p, field);
        p.edit(PanelEdit::Clear);
        text.chars().for_each(|c| drop(p.edit(PanelEdit::Type(c))));
    }

    #[test]
    fn defaults_apply_as_the_defaults() {
        let Outcome::Apply(settings, data) = panel().edit(PanelEdit::Apply) else {
            panic!("the defaults are valid");
        };
        assert_eq!((*settings, data), (Settings::default(), "embedded".into()));
        assert_eq!(
            panel().command_line().as_deref(),
            Some("digits-tui --headless --seed 7")
        );
    }

    #[test]
    fn every_rule_is_its_flags() {
        let mut p = panel();
        for (field, text, rule) in [
            (Field::Lr, "0", "must be a finite number greater than 0"),
            (Field::BatchSize, "0", "must be at least 1"),
            (
                Field::Hidden,
                "80,0",
                "must be 1 to 4 comma-separated widths",
            ),
            (Field::Epochs, "x", "must be a whole number from 1"),
            (Field::Seed, "-1", "must be a whole number from 0"),
            (Field::Beta2, "1", "must be a number in [0, 1)"),
            (Field::Data, "no/such.csv", "must name an existing file"),
        ] {
            let mut q = p.clone();
            retype(&mut q, field, text);
            let error = q.error(field).unwrap_or_default();
            assert!(error.starts_with(rule), "{field:?}: {error}");
            assert_eq!(
                q.edit(PanelEdit::Apply),
                Outcome::Invalid(format!("{} {error}", field.flag()))
            );
            assert_eq!(q.command_line(), None);
        }
        go_to(&mut p, Field::Contenders);
        for _ in 0..6 {
            p.edit(PanelEdit::Toggle);
            p.edit(PanelEdit::Right);
        }
        assert_eq!(
            p.error(Field::Contenders).as_deref(),
            Some("choose at least one")
        );
    }

    #[test]
    fn switches_and_paths_reach_the_settings_and_the_command_line() {
        let mut p = panel();
        go_to(&mut p, Field::Contenders);
        p.edit(PanelEdit::Toggle); // SGD off
        p.edit(PanelEdit::Left); // the baseline
        p.edit(PanelEdit::Toggle);
        go_to(&mut p, Field::Protocol);
        p.edit(PanelEdit::Toggle);
        retype(&mut p, Field::Data, "Cargo.toml");
        retype(&mut p, Field::Lr, "0.05");
        go_to(&mut p, Field::Transpose);
        p.edit(PanelEdit::Toggle);
        let (s, data) = p.settings().expect("valid");
        assert_eq!(s.optimizers, &Contender::ALL[1..5]);
        assert_eq!(s.protocol, Protocol::Chain);
        let source = source::source(Some(Path::new("Cargo.toml")), None);
        assert_eq!(data, source.transposed(true));
        assert_eq!(
            p.command_line().as_deref(),
            Some(
                "digits-tui --headless --seed 7 --lr 0.05 \
                 --optimizers momentum,adagrad,rmsprop,adam --protocol chain --data Cargo.toml \
                 --transpose-images"
            )
        );
        assert!(
            Panel::new(&s, &data, false).transpose(),
            "the panel shows it again"
        );
        assert_eq!(quoted("my data.csv"), "'my data.csv'");
    }

    #[test]
    fn read_only_moves_but_changes_nothing() {
        let mut p = Panel::new(&Settings::default(), &"embedded".into(), true);
        let before = p.clone();
        assert_eq!(p.edit(PanelEdit::Type('5')), Outcome::ReadOnly);
        assert_eq!(p.edit(PanelEdit::Apply), Outcome::ReadOnly);
        assert_eq!(p, before);
        p.edit(PanelEdit::Next);
        assert_eq!(p.focus(), Field::BatchSize);
        assert_eq!(p.edit(PanelEdit::Discard), Outcome::Discarded);
    }
}
