//! The settings panel (`o`): every setting that shapes training ([`crate::settings::TABLE`]),
//! edited in place as its flag's text. Rows are checked as typed by the flags' own rules, so
//! the panel, the command line and `--config` accept exactly the same values; nothing applies
//! until every row is valid. A list of names shows as switches, a choice of names as radio
//! buttons. The panel also writes the command line that reruns the same experiment headless.
//!
//! Editing is at the end of a field (type, ⌫ erases, Del clears): short values do not need a
//! cursor, and a field without one cannot be left half-edited out of sight.

use std::path::Path;

use crate::data::source::DataSource;
use crate::settings::flags::command_line;
use crate::settings::rules::{existing_path, test_file};
use crate::settings::{Kind, Setting, TABLE, Values};
use crate::train::Settings;

/// What a key does in the panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FormEdit {
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
pub(crate) enum Outcome {
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

/// The panel's state: each row's text, where the focus is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SettingsForm {
    /// One text per row of [`rows`], as its flag takes it.
    texts: Vec<String>,
    /// What the rows start from: the values no row edits keep (the optimizers' epsilon).
    base: Values,
    focus: usize,
    cursor: usize,
    read_only: bool,
    /// Why the last apply failed after the panel closed (its data would not load): the row
    /// at fault, its text then, and the reason; shown beside that row while its text is the
    /// same.
    failure: Option<(&'static str, String, String)>,
}

/// The panel's rows, top to bottom: the settings that shape training.
pub(crate) fn rows() -> impl Iterator<Item = &'static Setting> {
    TABLE.iter().filter(|row| row.scope.shapes_training())
}

impl SettingsForm {
    /// The panel filled in with `settings` and `data`; `read_only` for a saved session.
    pub(crate) fn new(settings: &Settings, data: &DataSource, read_only: bool) -> Self {
        let base = Values::of(settings, data);
        Self {
            texts: rows().map(|row| (row.show)(&base)).collect(),
            base,
            focus: 0,
            cursor: 0,
            read_only,
            failure: None,
        }
    }

    /// The row with the focus.
    pub(crate) fn focus(&self) -> &'static Setting {
        rows().nth(self.focus).unwrap_or(&TABLE[0])
    }

    /// The name under the cursor of a row of switches.
    pub(crate) fn cursor(&self) -> usize {
        self.cursor
    }

    /// A row's text, by its flag's name.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        let at = rows().position(|row| row.name == name)?;
        self.texts.get(at).map(String::as_str)
    }

    /// Whether `name` is among those a row of switches has on.
    pub(crate) fn is_on(&self, row: &str, name: &str) -> bool {
        (self.text(row).unwrap_or_default().split(',')).any(|n| n.trim().eq_ignore_ascii_case(name))
    }

    /// True for a saved session (`--open`): shown, not edited.
    pub(crate) fn read_only(&self) -> bool {
        self.read_only
    }

    /// Why a row's value is refused, as its flag's rule says it.
    pub(crate) fn error(&self, name: &str) -> Option<String> {
        let row = Setting::named(name)?;
        let text = self.text(name)?;
        if let Some((_, _, why)) = (self.failure.as_ref()).filter(|f| f.0 == name && f.1 == text) {
            return Some(why.clone());
        }
        match row.kind {
            Kind::Path if text.is_empty() => None,
            Kind::Path if name == "test-data" => {
                test_file(text, self.text("data").unwrap_or_default()).err()
            }
            Kind::Path => existing_path(text).err(),
            _ => row.check(text).err(),
        }
    }

    /// Applying failed once the panel had closed (`why`, the loader's message): the panel keeps
    /// every edit and puts the reason beside the path row it names (the data row if none).
    pub(crate) fn failed(&mut self, why: &str) {
        let named = (rows().filter(|row| row.kind == Kind::Path))
            .filter_map(|row| Some((row.name, self.text(row.name)?)))
            .filter(|(_, text)| !text.is_empty() && why.contains(text))
            .max_by_key(|(_, text)| text.len());
        let (name, text) = named.unwrap_or(("data", self.text("data").unwrap_or_default()));
        self.failure = Some((name, text.to_owned(), why.to_owned()));
        self.focus = rows()
            .position(|row| row.name == name)
            .unwrap_or(self.focus);
    }

    /// What an empty path row stands for: the embedded digits, or the test set that comes
    /// with the data (an IDX directory brings its own; a CSV is split 80/20).
    pub(crate) fn placeholder(&self, name: &str) -> &'static str {
        let idx = self.text("data").is_some_and(|d| Path::new(d).is_dir());
        match (name, idx) {
            ("test-data", true) => "the IDX directory's own",
            ("test-data", false) => "the 80/20 split",
            _ => "embedded",
        }
    }

    /// The settings and data the panel describes, or the first refusal as `--flag rule`.
    pub(crate) fn settings(&self) -> Result<(Settings, DataSource), String> {
        let values = self.values()?;
        Ok((values.training.clone(), values.source()))
    }

    /// Every row's text read into the values, or the first refusal as `--flag rule`.
    fn values(&self) -> Result<Values, String> {
        let mut values = self.base.clone();
        for (row, text) in rows().zip(&self.texts) {
            let refused = |rule: String| format!("{} {rule}", row.flag());
            if let Some(rule) = self.error(row.name) {
                return Err(refused(rule));
            }
            (row.set)(&mut values, text).map_err(refused)?;
        }
        Ok(values)
    }

    /// The command line that reruns these settings headless, once they are valid.
    pub(crate) fn command_line(&self) -> Option<String> {
        let values = self.values().ok()?;
        let words = command_line(&values).into_iter().map(|w| quoted(&w));
        Some(
            std::iter::once("digits-tui".to_owned())
                .chain(words)
                .collect::<Vec<_>>()
                .join(" "),
        )
    }

    /// Applies one key.
    pub(crate) fn edit(&mut self, edit: FormEdit) -> Outcome {
        let count = self.texts.len();
        let kind = self.focus().kind;
        match (edit, kind) {
            (FormEdit::Next, _) => self.focus = (self.focus + 1) % count,
            (FormEdit::Prev, _) => self.focus = (self.focus + count - 1) % count,
            (FormEdit::Discard, _) => return Outcome::Discarded,
            _ if self.read_only => return Outcome::ReadOnly,
            (FormEdit::Apply, _) => {
                // A retry: the file may have been fixed meanwhile.
                self.failure = None;
                return match self.settings() {
                    Ok((settings, data)) => Outcome::Apply(Box::new(settings), data),
                    Err(message) => Outcome::Invalid(message),
                };
            }
            (FormEdit::Left | FormEdit::Right, Kind::SomeOf(names)) => {
                let n = names.len();
                let step = if edit == FormEdit::Left { n - 1 } else { 1 };
                self.cursor = (self.cursor + step) % n;
            }
            (FormEdit::Left | FormEdit::Right | FormEdit::Toggle, Kind::OneOf(names)) => {
                let now = names.iter().position(|n| self.is_on(self.focus().name, n));
                let step = if edit == FormEdit::Left {
                    names.len() - 1
                } else {
                    1
                };
                let next = now.map_or(0, |i| (i + step) % names.len());
                self.texts[self.focus] = names[next].to_owned();
            }
            (FormEdit::Left | FormEdit::Right | FormEdit::Toggle, Kind::Switch) => {
                let on = self.is_on(self.focus().name, "true");
                self.texts[self.focus] = (!on).to_string();
            }
            (FormEdit::Toggle, Kind::SomeOf(names)) => {
                let row = self.focus().name;
                let on = |i: usize, n: &&str| self.is_on(row, n) != (i == self.cursor);
                let chosen: Vec<&str> = (names.iter().enumerate())
                    .filter(|(i, n)| on(*i, n))
                    .map(|(_, n)| *n)
                    .collect();
                self.texts[self.focus] = chosen.join(",");
            }
            (FormEdit::Type(c), Kind::Text | Kind::Path) if !c.is_control() => {
                self.texts[self.focus].push(c);
            }
            (FormEdit::Toggle, Kind::Text | Kind::Path) => self.texts[self.focus].push(' '),
            (FormEdit::Erase, Kind::Text | Kind::Path) => drop(self.texts[self.focus].pop()),
            (FormEdit::Clear, Kind::Text | Kind::Path) => self.texts[self.focus].clear(),
            _ => {}
        }
        Outcome::Editing
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
    use crate::data::source;
    use crate::train::{Contender, Protocol};

    fn panel() -> SettingsForm {
        SettingsForm::new(&Settings::default(), &"embedded".into(), false)
    }

    fn go_to(p: &mut SettingsForm, field: &str) {
        while p.focus().name != field {
            p.edit(FormEdit::Next);
        }
    }

    fn retype(p: &mut SettingsForm, field: &str, text: &str) {
        go_to(p, field);
        p.edit(FormEdit::Clear);
        text.chars().for_each(|c| drop(p.edit(FormEdit::Type(c))));
    }

    #[test]
    fn a_directory_is_no_test_file_and_a_failed_load_names_its_row() {
        let mut p = panel();
        // `--test-data /tmp` was marked valid, then failed to load after the panel closed.
        retype(&mut p, "test-data", "src");
        assert!(
            p.error("test-data")
                .is_some_and(|e| e.contains("not a directory"))
        );
        assert!(
            matches!(p.edit(FormEdit::Apply), Outcome::Invalid(m) if m.starts_with("--test-data"))
        );
        // A file that exists but will not load: the loader's reason goes beside its row.
        retype(&mut p, "test-data", "Cargo.toml");
        retype(&mut p, "lr", "0.05");
        assert!(matches!(p.edit(FormEdit::Apply), Outcome::Apply(..)));
        p.failed("Cargo.toml:1: expected 65 comma-separated values");
        assert_eq!(p.focus().name, "test-data");
        assert!(
            p.error("test-data")
                .is_some_and(|e| e.starts_with("Cargo.toml:1"))
        );
        assert_eq!(p.text("lr"), Some("0.05"), "every edit kept");
        retype(&mut p, "test-data", "");
        assert_eq!(p.error("test-data"), None, "a new value, a new check");
    }

    #[test]
    fn defaults_apply_as_the_defaults() {
        let Outcome::Apply(settings, data) = panel().edit(FormEdit::Apply) else {
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
            ("lr", "0", "must be a finite number greater than 0"),
            ("batch-size", "0", "must be at least 1"),
            ("hidden", "80,0", "must be 1 to 4 comma-separated widths"),
            ("epochs", "x", "must be a whole number from 1"),
            ("seed", "-1", "must be a whole number from 0"),
            ("beta2", "1", "must be a number in [0, 1)"),
            ("data", "no/such.csv", "must name an existing file"),
        ] {
            let mut q = p.clone();
            retype(&mut q, field, text);
            let error = q.error(field).unwrap_or_default();
            assert!(error.starts_with(rule), "{field}: {error}");
            assert_eq!(
                q.edit(FormEdit::Apply),
                Outcome::Invalid(format!("--{field} {error}"))
            );
            assert_eq!(q.command_line(), None);
        }
        go_to(&mut p, "optimizers");
        for _ in 0..6 {
            p.edit(FormEdit::Toggle);
            p.edit(FormEdit::Right);
        }
        assert_eq!(
            p.error("optimizers").as_deref(),
            Some("must name at least one")
        );
    }

    #[test]
    fn switches_and_paths_reach_the_settings_and_the_command_line() {
        let mut p = panel();
        go_to(&mut p, "optimizers");
        p.edit(FormEdit::Toggle); // SGD off
        p.edit(FormEdit::Left); // the baseline
        p.edit(FormEdit::Toggle);
        go_to(&mut p, "protocol");
        p.edit(FormEdit::Toggle);
        retype(&mut p, "data", "Cargo.toml");
        retype(&mut p, "lr", "0.05");
        go_to(&mut p, "transpose-images");
        p.edit(FormEdit::Toggle);
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
        let again = SettingsForm::new(&s, &data, false);
        assert_eq!(
            again.text("transpose-images"),
            Some("true"),
            "the panel shows it again"
        );
        assert_eq!(quoted("my data.csv"), "'my data.csv'");
    }

    #[test]
    fn an_empty_test_set_is_the_split_or_the_idx_directorys_own() {
        let mut p = panel();
        assert_eq!(p.placeholder("test-data"), "the 80/20 split");
        retype(&mut p, "data", "src");
        assert_eq!(p.placeholder("test-data"), "the IDX directory's own");
        assert_eq!(p.placeholder("data"), "embedded");
    }

    #[test]
    fn read_only_moves_but_changes_nothing() {
        let mut p = SettingsForm::new(&Settings::default(), &"embedded".into(), true);
        let before = p.clone();
        assert_eq!(p.edit(FormEdit::Type('5')), Outcome::ReadOnly);
        assert_eq!(p.edit(FormEdit::Apply), Outcome::ReadOnly);
        assert_eq!(p, before);
        p.edit(FormEdit::Next);
        assert_eq!(p.focus().name, "batch-size");
        assert_eq!(p.edit(FormEdit::Discard), Outcome::Discarded);
    }
}
