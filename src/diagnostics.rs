//! Validation findings. A finding is data, not an error: every rule adds to a
//! list and nothing stops at the first problem.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Severity {
    /// Hygiene and hints.
    Info,
    /// Probably wrong, but the site still builds.
    Warning,
    /// Wrong: the site shows something broken or misleading.
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Generates [`Code`]: one variant per rule, with the stable text the CLI
/// prints and JSON carries.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// A rule's stable code. Serialised (and printed) as its text, such as
        /// `unknown-track`, so the CLI's JSON output and `lectern.toml` keep
        /// the strings they always had.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum Code {
            $($(#[$doc])* #[serde(rename = $text)] $variant,)*
        }

        impl Code {
            /// Every code, in the order of the rules table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable text of the code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    /// Empty, binary or non-UTF-8 file, too big, or not a regular file.
    Unreadable = "unreadable",
    /// A `.md` entry that is not read (symbolic link out of the site, bad name).
    SkippedFile = "skipped-file",
    /// A temporary file left by a save that did not finish.
    InterruptedSave = "interrupted-save",
    /// The file has no front matter.
    NoFrontMatter = "no-front-matter",
    /// The front matter is not closed.
    UnclosedFrontMatter = "unclosed-front-matter",
    /// YAML front matter that does not parse.
    YamlSyntax = "yaml-syntax",
    /// TOML front matter that does not parse.
    TomlSyntax = "toml-syntax",
    /// JSON front matter that does not parse.
    JsonSyntax = "json-syntax",
    /// A required field is absent.
    MissingField = "missing-field",
    /// A required field is empty.
    EmptyField = "empty-field",
    /// A list or mapping where a single value belongs.
    FieldType = "field-type",
    /// A track with no track page.
    UnknownTrack = "unknown-track",
    /// A value the field's enum does not allow.
    InvalidValue = "invalid-value",
    /// A room not in the rooms file.
    UnknownRoom = "unknown-room",
    /// A rare value close to a common one.
    UnusualValue = "unusual-value",
    /// A value of another language.
    WrongLanguage = "wrong-language",
    /// A date that does not read.
    BadDate = "bad-date",
    /// A date outside the conference days.
    DateOutsideDays = "date-outside-days",
    /// An end that is not after its start.
    EndBeforeStart = "end-before-start",
    /// A programme entry that names no session.
    UnknownTalk = "unknown-talk",
    /// A speaker reference with no speaker page.
    UnknownSpeaker = "unknown-speaker",
    /// A programme that names a talk twice.
    ProgrammeDuplicate = "programme-duplicate",
    /// A talk its event's programme leaves out.
    NotInProgramme = "not-in-programme",
    /// A programme data file that cannot be read.
    ProgrammeFile = "programme-file",
    /// A programme entry whose day or time does not read.
    ProgrammeEntry = "programme-entry",
    /// An event data file that cannot be read.
    EventFile = "event-file",
    /// A link that is not http(s).
    BadUrl = "bad-url",
    /// A value shorter or longer than the profile allows.
    Length = "length",
    /// A value that does not match the profile's pattern.
    Pattern = "pattern",
    /// A file name that does not match the site's pattern.
    FileName = "file-name",
    /// A file name's track prefix that disagrees with `track`.
    TrackMismatch = "track-mismatch",
    /// Two sessions that share an id.
    DuplicateId = "duplicate-id",
    /// A language's twin does not exist.
    MissingTwin = "missing-twin",
    /// Twins that disagree on a copied field.
    TwinMismatch = "twin-mismatch",
    /// The same value written differently in twins.
    TwinFormat = "twin-format",
    /// Translated fields that are not translations of each other.
    TwinUntranslated = "twin-untranslated",
    /// `presenters` and the speakers section disagree.
    PresentersMismatch = "presenters-mismatch",
    /// A speaker without a photo.
    SpeakerNoPhoto = "speaker-no-photo",
    /// A photo that does not exist.
    PhotoMissing = "photo-missing",
    /// One room booked twice at overlapping times.
    RoomClash = "room-clash",
    /// A presenter in two places at once.
    PresenterClash = "presenter-clash",
    /// A room that carries two tracks side by side.
    RoomShared = "room-shared",
    /// The site's theme is not checked out.
    ThemeMissing = "theme-missing",
    /// A speaker photo that cannot be loaded (`lectern photos check`).
    PhotoBroken = "photo-broken",
    /// A speaker photo with too many bytes or pixels.
    PhotoOversized = "photo-oversized",
    /// A speaker photo that is not square where the rule wants squares.
    PhotoNotSquare = "photo-not-square",
    /// Trailing spaces in front matter.
    TrailingWhitespace = "trailing-whitespace",
    /// The rooms data file cannot be read.
    RoomsFile = "rooms-file",
}

impl Code {
    /// A finding about twins, including a twin that does not exist.
    pub fn is_twin(self) -> bool {
        self == Code::MissingTwin || self.is_twin_disagreement()
    }

    /// Twins that exist and disagree (what a twin report lists beside the
    /// missing ones).
    pub fn is_twin_disagreement(self) -> bool {
        matches!(
            self,
            Code::TwinMismatch | Code::TwinFormat | Code::TwinUntranslated
        )
    }

    /// The front matter cannot be read at all.
    pub fn is_front_matter_syntax(self) -> bool {
        matches!(
            self,
            Code::NoFrontMatter
                | Code::UnclosedFrontMatter
                | Code::YamlSyntax
                | Code::TomlSyntax
                | Code::JsonSyntax
        )
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Codes sort by their text, so output sorted by code reads alphabetically
/// (as it did when codes were strings).
impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::str::FromStr for Code {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("no rule is called `{s}`"))
    }
}

/// Compare with a code's text (`d.code == "room-clash"`), as tests and
/// filters given on the command line do.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// A safe, mechanical correction for a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Fix {
    /// Set a front-matter field to a value.
    SetField {
        /// The key.
        key: String,
        /// The new value.
        value: String,
    },
    /// Replace a byte range of the file with new text.
    ReplaceRange {
        /// Start byte offset in the file.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        start: usize,
        /// End byte offset (exclusive).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        end: usize,
        /// Replacement text.
        text: String,
    },
}

/// One finding, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Diagnostic {
    /// Stable rule code, such as `unknown-track`.
    pub code: Code,
    /// How bad it is.
    pub severity: Severity,
    /// Path relative to the site root (or as given when outside a site).
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub file: PathBuf,
    /// 1-based line, 0 when the finding concerns the whole file.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub line: usize,
    /// 1-based column, 0 when unknown.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
    /// The front-matter field concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub field: Option<String>,
    /// A safe automatic fix, when one exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding with no field and no fix.
    pub fn new(
        code: Code,
        severity: Severity,
        file: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            file: file.into(),
            line,
            column,
            message: message.into(),
            field: None,
            fix: None,
        }
    }

    /// Attach the field concerned.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Attach a safe fix.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn codes_round_trip_through_their_text_and_json() {
        for &c in Code::ALL {
            assert_eq!(c.as_str().parse::<Code>(), Ok(c));
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.as_str())
            );
        }
        assert!("no-such-rule".parse::<Code>().is_err());
    }

    #[test]
    fn twin_codes_agree_between_the_checklist_and_the_twin_report() {
        let twin: Vec<&str> = Code::ALL
            .iter()
            .filter(|c| c.is_twin())
            .map(|c| c.as_str())
            .collect();
        assert_eq!(
            twin,
            [
                "missing-twin",
                "twin-mismatch",
                "twin-format",
                "twin-untranslated"
            ]
        );
        assert!(!Code::MissingTwin.is_twin_disagreement());
        assert!(Code::TwinFormat.is_twin_disagreement());
    }

    #[test]
    fn codes_sort_by_their_text() {
        let mut v = vec![Code::RoomClash, Code::BadUrl, Code::MissingField];
        v.sort();
        assert_eq!(v, [Code::BadUrl, Code::MissingField, Code::RoomClash]);
    }
}
