//! Spreadsheets as plain tables: CSV (UTF-8 with or without a BOM, UTF-16
//! with a BOM as Excel's "Unicode text" writes it; comma, semicolon or tab
//! separated) and workbooks (XLSX, XLS, ODS through calamine), with the
//! row numbers a person sees in a spreadsheet program, columns found by
//! name ignoring case, spaces, `_` and `-`, and the date formats exports use.

use crate::error::{Error, Result};
use chrono::{NaiveDate, NaiveDateTime};
use std::path::Path;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDateTime),
}

impl Cell {
    /// The cell as text: numbers without a trailing `.0` (ids are often
    /// stored as numbers), dates as `YYYY-MM-DDTHH:MM:SS`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Cell::Number(f) => f.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a date and time: date cells, Excel serial numbers (as
    /// numbers or text), or text in a common format. `Ok(None)` when empty.
    pub fn datetime(&self) -> std::result::Result<Option<NaiveDateTime>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Date(d) => Ok(Some(*d)),
            Cell::Number(f) => excel_serial(*f).map(Some).ok_or_else(|| {
                format!(
                    "{f} is not a date (expected an Excel date or a text like 2026-07-29 14:00)"
                )
            }),
            Cell::Text(s) if s.trim().is_empty() => Ok(None),
            Cell::Text(s) => parse_text_datetime(s).map(Some),
        }
    }
}

/// One data row with its 1-based row number in the sheet or file.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub number: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn get(&self, col: Option<usize>) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        col.and_then(|c| self.cells.get(c)).unwrap_or(&EMPTY)
    }
}

/// A sheet: its name, header row and data rows.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// A column name as compared: lower case without spaces, `_`, `-`.
pub(crate) fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Table {
    /// The first column whose name matches one of `names` (in that order).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        let heads: Vec<String> = self.headers.iter().map(|h| normalise(h)).collect();
        names.iter().find_map(|n| {
            let n = normalise(n);
            heads.iter().position(|h| *h == n)
        })
    }

    /// The first column whose name contains `part`.
    pub fn column_containing(&self, part: &str) -> Option<usize> {
        let part = normalise(part);
        self.headers
            .iter()
            .position(|h| normalise(h).contains(&part))
    }
}

/// Read every sheet of a CSV file (one) or workbook.
pub(crate) fn read(path: &Path) -> Result<Vec<Table>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_workbook(path),
        "csv" | "tsv" | "txt" => read_csv(path),
        _ => Err(Error::Invalid(format!(
            "{}: expected a .csv, .xlsx, .xls or .ods file",
            path.display()
        ))),
    }
}

fn content(path: &Path, line: usize, message: impl Into<String>) -> Error {
    Error::Content {
        path: path.to_path_buf(),
        line,
        column: 0,
        message: message.into(),
    }
}

fn read_csv(path: &Path) -> Result<Vec<Table>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8(rest.to_vec()).map_err(|e| {
            content(
                path,
                0,
                format!(
                    "not UTF-8 after the byte order mark (byte {}); save as \"CSV UTF-8\"",
                    e.utf8_error().valid_up_to() + 3
                ),
            )
        })?
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units)
            .map_err(|_| content(path, 0, "broken UTF-16 text; save as \"CSV UTF-8\""))?
    } else {
        String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
            content(
                path,
                line,
                "not UTF-8 text; save the sheet as \"CSV UTF-8\"",
            )
        })?
    };
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.matches(*d as char).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            content(
                path,
                e.position().map_or(0, |p| p.line() as usize),
                format!("cannot read the CSV: {e}"),
            )
        })?;
        let number = rec.position().map_or(0, |p| p.line() as usize);
        let cells: Vec<Cell> = rec
            .iter()
            .map(|s| {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_string())
                }
            })
            .collect();
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        match headers {
            None => headers = Some(cells.iter().map(Cell::text).collect()),
            Some(_) => rows.push(Row { number, cells }),
        }
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(vec![Table {
        name,
        headers: headers.unwrap_or_default(),
        rows,
    }])
}

fn read_workbook(path: &Path) -> Result<Vec<Table>> {
    use calamine::{Data, Reader};
    let mut wb = calamine::open_workbook_auto(path)
        .map_err(|e| content(path, 0, format!("cannot open the workbook: {e}")))?;
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| content(path, 0, format!("cannot read sheet {name:?}: {e}")))?;
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        let first_col = range.start().map_or(0, |(_, c)| c as usize);
        let mut headers: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for (i, r) in range.rows().enumerate() {
            // Columns before the used range are empty; keep positions absolute.
            let mut cells = vec![Cell::Empty; first_col];
            cells.extend(r.iter().map(|d| {
                match d {
                    Data::Empty => Cell::Empty,
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Float(f) => Cell::Number(*f),
                    Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                        Cell::Text(s.clone())
                    }
                    Data::Bool(b) => Cell::Text(b.to_string()),
                    Data::DateTime(dt) if dt.is_datetime() => dt
                        .as_datetime()
                        .map_or(Cell::Number(dt.as_f64()), Cell::Date),
                    Data::DateTime(dt) => Cell::Number(dt.as_f64()),
                    Data::Error(e) => Cell::Text(format!("#{e}")),
                }
            }));
            if cells.iter().all(Cell::is_empty) {
                continue;
            }
            match headers {
                None => headers = Some(cells.iter().map(Cell::text).collect()),
                Some(_) => rows.push(Row {
                    number: first_row + i + 1,
                    cells,
                }),
            }
        }
        out.push(Table {
            name,
            headers: headers.unwrap_or_default(),
            rows,
        });
    }
    Ok(out)
}

/// An Excel serial date (days since 1899-12-30, the fraction is the time of
/// day), rounded to the second. Only values between 1900 and 2200.
pub(crate) fn excel_serial(f: f64) -> Option<NaiveDateTime> {
    if !(1.0..=109_574.0).contains(&f) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    // Serials below 61 count Excel's phantom 1900-02-29.
    let f = if f < 61.0 { f + 1.0 } else { f };
    let secs = (f * 86_400.0).round() as i64;
    epoch.checked_add_signed(chrono::Duration::seconds(secs))
}

const TEXT_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %I:%M %p",
    "%d-%b-%Y %H:%M",
    "%d %B %Y %H:%M",
    "%d %B %Y %I:%M %p",
    "%B %d, %Y %I:%M %p",
    "%B %d, %Y %H:%M",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M",
    "%b %d %Y %I:%M %p",
    "%b %d %Y %H:%M",
    "%A, %B %d, %Y %I:%M %p",
    "%a, %d %b %Y %H:%M:%S",
];

/// A date and time written as text. ISO forms (with `T`, seconds, an offset
/// or `Z`) first; slashed dates are read month first (`7/29/2026`, as
/// Sessionize and US Excel write them) unless the first number is above 12.
pub(crate) fn parse_text_datetime(s: &str) -> std::result::Result<NaiveDateTime, String> {
    let t = s.trim();
    if let Some(d) = crate::validate::parse_datetime(t) {
        return Ok(d);
    }
    if let Ok(f) = t.parse::<f64>() {
        return excel_serial(f).ok_or_else(|| format!("{t:?} is not a date"));
    }
    // Collapse runs of spaces and drop a trailing "UTC"/"GMT".
    let norm: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let norm = norm
        .strip_suffix(" UTC")
        .or_else(|| norm.strip_suffix(" GMT"))
        .unwrap_or(&norm)
        .to_string();
    for f in TEXT_FORMATS {
        if let Ok(d) = NaiveDateTime::parse_from_str(&norm, f) {
            return Ok(d);
        }
    }
    for f in ["%Y-%m-%d", "%m/%d/%Y", "%d %b %Y", "%Y/%m/%d"] {
        if NaiveDate::parse_from_str(&norm, f).is_ok() {
            return Err(format!("{t:?} has a date but no time of day"));
        }
    }
    Err(format!("{t:?} is not a date and time this tool reads (use 2026-07-29 14:00, 7/29/2026 2:00 PM or 29 Jul 2026 14:00)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap()
    }

    #[test]
    fn reads_the_common_text_date_formats() {
        let want = dt("2026-07-29T14:00:00");
        for s in [
            "2026-07-29 14:00",
            "7/29/2026 2:00 PM",
            "July 29, 2026 2:00 PM",
            "Wednesday, July 29, 2026 2:00 PM",
            "07/29/2026 14:00",
            "29 Jul 2026 14:00",
            "2026-07-29T14:00:00",
            "2026-07-29T14:00:00+08:00",
            "Jul 29, 2026 2:00 PM",
            "29/07/2026 14:00",
            "29 July 2026 14:00",
            "2026-07-29 2:00 pm",
        ] {
            assert_eq!(parse_text_datetime(s), Ok(want), "{s}");
        }
        assert!(parse_text_datetime("2026-07-29")
            .unwrap_err()
            .contains("no time"));
        assert!(parse_text_datetime("soon").is_err());
    }

    #[test]
    fn reads_excel_serial_numbers() {
        // 2026-07-29 14:00 is serial 46232 + 14/24.
        assert_eq!(
            excel_serial(46232.0 + 14.0 / 24.0),
            Some(dt("2026-07-29T14:00:00"))
        );
        assert_eq!(
            parse_text_datetime("46232.5833333333"),
            Ok(dt("2026-07-29T14:00:00"))
        );
        assert_eq!(excel_serial(-3.0), None);
    }

    #[test]
    fn column_names_ignore_case_spaces_and_bom() {
        let t = Table {
            name: String::new(),
            headers: vec!["\u{feff}Session ID".into(), "scheduled_at".into()],
            rows: vec![],
        };
        assert_eq!(t.column(&["Session Id"]), Some(0));
        assert_eq!(t.column(&["Scheduled At"]), Some(1));
    }
}
