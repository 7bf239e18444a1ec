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
    let bytes = crate::fs::read_regular(path, MAX_IMPORT_BYTES)?;
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
        if rows.len() >= MAX_ROWS {
            return Err(content(path, number, format!("more than {MAX_ROWS} rows; a schedule or Sessionize export has far fewer. Delete unused rows (or split the file) and try again")));
        }
        if let Some(big) = rec.iter().find(|s| s.len() > MAX_CELL_BYTES) {
            return Err(content(
                path,
                number,
                format!(
                    "a cell holds {:.1} MiB of text, over the {} KiB Lectern reads from one cell",
                    big.len() as f64 / (1024.0 * 1024.0),
                    MAX_CELL_BYTES / 1024
                ),
            ));
        }
        if rec.len() > MAX_COLS {
            return Err(content(
                path,
                number,
                format!(
                    "{} columns, more than the {MAX_COLS} Lectern reads",
                    rec.len()
                ),
            ));
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

/// The largest spreadsheet or export file Lectern reads (bytes).
pub(crate) const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;
/// The most data rows a sheet may have: a programme has hundreds of
/// sessions; more than this is not a schedule or an export of one.
pub(crate) const MAX_ROWS: usize = 20_000;
/// The rightmost column read (column `SR`); cells further right are refused.
pub(crate) const MAX_COLS: usize = 512;
/// The most non-empty cells a workbook may have in all.
const MAX_CELLS: usize = 2_000_000;
/// The longest text one cell may hold.
const MAX_CELL_BYTES: usize = 1024 * 1024;

/// Check a workbook cell's position and size before anything is allocated
/// for it (a single cell at `XFD1048576` made calamine ask for 512 GiB).
fn check_cell(
    path: &Path,
    sheet: &str,
    (row, col): (u32, u32),
    text_len: usize,
    count: usize,
) -> Result<()> {
    let at = || {
        format!(
            "sheet {sheet:?}, cell {}{}",
            column_name(col as usize),
            row as u64 + 1
        )
    };
    if col as usize >= MAX_COLS {
        return Err(content(path, row as usize + 1, format!("{}: a value beyond column {} (the last Lectern reads); delete the cells to the right of the table and save again", at(), column_name(MAX_COLS - 1))));
    }
    if row as usize > MAX_ROWS + 100 {
        return Err(content(path, row as usize + 1, format!("{}: more than {MAX_ROWS} rows; a schedule or Sessionize export has far fewer. Delete unused rows (or split the file) and try again", at())));
    }
    if text_len > MAX_CELL_BYTES {
        return Err(content(
            path,
            row as usize + 1,
            format!(
                "{}: the cell holds {:.1} MiB of text, over the {} KiB Lectern reads from one cell",
                at(),
                text_len as f64 / (1024.0 * 1024.0),
                MAX_CELL_BYTES / 1024
            ),
        ));
    }
    if count > MAX_CELLS {
        return Err(content(
            path,
            row as usize + 1,
            format!(
                "more than {MAX_CELLS} filled cells; this is not a schedule or a Sessionize export"
            ),
        ));
    }
    Ok(())
}

/// A column's letters (0 = `A`, 26 = `AA`).
fn column_name(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn cell_of(d: &calamine::DataRef<'_>) -> Cell {
    use calamine::DataRef;
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            Cell::Text(s.clone())
        }
        DataRef::SharedString(s) => Cell::Text(s.to_string()),
        DataRef::Bool(b) => Cell::Text(b.to_string()),
        DataRef::DateTime(dt) if dt.is_datetime() => dt
            .as_datetime()
            .map_or(Cell::Number(dt.as_f64()), Cell::Date),
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        DataRef::Error(e) => Cell::Text(format!("#{e}")),
    }
}

fn text_len(d: &calamine::DataRef<'_>) -> usize {
    use calamine::DataRef;
    match d {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
        DataRef::SharedString(s) => s.len(),
        _ => 0,
    }
}

/// Rows from sparse cells `(row, col, cell)`: headers first, empty rows skipped.
fn table_of(name: String, mut cells: Vec<(u32, u32, Cell)>) -> Table {
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let r = cells[i].0;
        let mut row: Vec<Cell> = Vec::new();
        while i < cells.len() && cells[i].0 == r {
            let (_, c, cell) = std::mem::replace(&mut cells[i], (0, 0, Cell::Empty));
            // Columns are bounded by MAX_COLS, so this never grows far.
            if row.len() <= c as usize {
                row.resize(c as usize + 1, Cell::Empty);
            }
            row[c as usize] = cell;
            i += 1;
        }
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        match headers {
            None => headers = Some(row.iter().map(Cell::text).collect()),
            Some(_) => rows.push(Row {
                number: r as usize + 1,
                cells: row,
            }),
        }
    }
    Table {
        name,
        headers: headers.unwrap_or_default(),
        rows,
    }
}

fn read_workbook(path: &Path) -> Result<Vec<Table>> {
    use calamine::Reader;
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(content(
            path,
            0,
            "not a regular file; give a saved .xlsx, .xls or .ods file",
        ));
    }
    if meta.len() > MAX_IMPORT_BYTES {
        return Err(content(path, 0, format!("the workbook is {:.1} MiB, over the {} MiB Lectern reads; a schedule or export is far smaller", meta.len() as f64 / (1024.0 * 1024.0), MAX_IMPORT_BYTES / (1024 * 1024))));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if matches!(ext.as_str(), "xlsx" | "xlsm") {
        // Cell by cell, checking each position before it is stored: calamine's
        // `worksheet_range` allocates the whole bounding box first.
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook(path).map_err(|e: calamine::XlsxError| {
                content(path, 0, format!("cannot open the workbook: {e}"))
            })?;
        let mut out = Vec::new();
        let mut count = 0;
        for name in wb.sheet_names() {
            let mut reader = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| content(path, 0, format!("cannot read sheet {name:?}: {e}")))?;
            let mut cells = Vec::new();
            while let Some(cell) = reader
                .next_cell()
                .map_err(|e| content(path, 0, format!("cannot read sheet {name:?}: {e}")))?
            {
                let v = cell.get_value();
                if matches!(v, calamine::DataRef::Empty) {
                    continue;
                }
                count += 1;
                let (r, c) = cell.get_position();
                check_cell(path, &name, (r, c), text_len(v), count)?;
                cells.push((r, c, cell_of(v)));
            }
            drop(reader);
            out.push(table_of(name, cells));
        }
        return Ok(out);
    }
    use calamine::Data;
    // XLS and ODS: calamine reads them whole. XLS is bounded by its format
    // (65,536 rows by 256 columns); the checks below bound the rest.
    let mut wb = calamine::open_workbook_auto(path)
        .map_err(|e| content(path, 0, format!("cannot open the workbook: {e}")))?;
    let mut out = Vec::new();
    let mut count = 0;
    for name in wb.sheet_names() {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| content(path, 0, format!("cannot read sheet {name:?}: {e}")))?;
        let mut cells = Vec::new();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, d) in range.used_cells() {
            let (r, c) = (r0 as usize + r, c0 as usize + c);
            let (cell, len) = match d {
                Data::Empty => continue,
                Data::Int(i) => (Cell::Number(*i as f64), 0),
                Data::Float(f) => (Cell::Number(*f), 0),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                    (Cell::Text(s.clone()), s.len())
                }
                Data::Bool(b) => (Cell::Text(b.to_string()), 0),
                Data::DateTime(dt) if dt.is_datetime() => (
                    dt.as_datetime()
                        .map_or(Cell::Number(dt.as_f64()), Cell::Date),
                    0,
                ),
                Data::DateTime(dt) => (Cell::Number(dt.as_f64()), 0),
                Data::Error(e) => (Cell::Text(format!("#{e}")), 0),
            };
            count += 1;
            let (r, c) = (
                u32::try_from(r).unwrap_or(u32::MAX),
                u32::try_from(c).unwrap_or(u32::MAX),
            );
            check_cell(path, &name, (r, c), len, count)?;
            cells.push((r, c, cell));
        }
        out.push(table_of(name, cells));
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
    if let Some(d) = crate::text::parse_datetime(t) {
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
