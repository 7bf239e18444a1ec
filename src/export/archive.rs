//! A zip archive of the changed files, for people who send changes by mail
//! or upload them somewhere: the new bytes at their repository-relative
//! paths plus a `CHANGES.md` that lists what was created, changed, moved and
//! deleted (deleted files exist only in that list).

use super::change::{ChangeKind, ChangeSet};
use super::{slash_path, ExportError, ExportResult};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Component, Path};
use zip::write::SimpleFileOptions;

/// Writes `out` (atomically: a temporary file beside it, then a rename) with
/// every created, changed or moved file at its path and a `CHANGES.md`
/// summary (named `CHANGES.lectern.md` if the change set has its own
/// `CHANGES.md`). Returns the entry names in archive order. Paths that would
/// leave the archive's root (`..`) are refused.
pub fn export_zip(changes: &ChangeSet, out: &Path) -> ExportResult<Vec<String>> {
    if changes.is_empty() {
        return Err(ExportError::NothingToCommit);
    }
    let mut entries: Vec<(String, &[u8])> = Vec::new();
    for c in &changes.changes {
        if let Some(bytes) = &c.after {
            entries.push((entry_name(&c.path)?, bytes));
        }
    }
    let summary_name = if entries.iter().any(|(n, _)| n == "CHANGES.md") {
        "CHANGES.lectern.md"
    } else {
        "CHANGES.md"
    };
    let summary = changes_md(changes);

    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = out
        .file_name()
        .ok_or_else(|| ExportError::Invalid(format!("{} is not a file name", out.display())))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);

    let result = write_zip(&tmp, summary_name, &summary, &entries)
        .and_then(|()| std::fs::rename(&tmp, out).map_err(|e| ExportError::io(out, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    let mut names = vec![summary_name.to_string()];
    names.extend(entries.into_iter().map(|(n, _)| n));
    Ok(names)
}

fn write_zip(
    tmp: &Path,
    summary_name: &str,
    summary: &str,
    entries: &[(String, &[u8])],
) -> ExportResult<()> {
    let io = |e: std::io::Error| ExportError::io(tmp, e);
    let zerr = |e: zip::result::ZipError| ExportError::io(tmp, std::io::Error::other(e));
    let file = std::fs::File::create(tmp).map_err(io)?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644)
        .last_modified_time(now_in_zip_time());
    zip.start_file(summary_name, opts).map_err(zerr)?;
    zip.write_all(summary.as_bytes()).map_err(io)?;
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), opts).map_err(zerr)?;
        zip.write_all(bytes).map_err(io)?;
    }
    let mut writer = zip.finish().map_err(zerr)?;
    writer.flush().map_err(io)?;
    let file = writer.into_inner().map_err(|e| io(e.into_error()))?;
    file.sync_all().map_err(io)
}

fn now_in_zip_time() -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let now = chrono::Local::now();
    zip::DateTime::from_date_and_time(
        now.year().clamp(1980, 2107) as u16,
        now.month() as u8,
        now.day() as u8,
        now.hour() as u8,
        now.minute() as u8,
        now.second().min(59) as u8,
    )
    .unwrap_or_default()
}

/// A safe entry name: relative, forward slashes, no `.` or `..` parts.
fn entry_name(path: &Path) -> ExportResult<String> {
    let text = slash_path(path).replace('\\', "/");
    let mut parts = Vec::new();
    for c in Path::new(&text).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
            Component::ParentDir => {
                return Err(ExportError::Invalid(format!(
                    "{} points outside the site folder; it cannot go into the archive",
                    path.display()
                )))
            }
        }
    }
    if parts.is_empty() {
        return Err(ExportError::Invalid(format!(
            "{} is not a file path",
            path.display()
        )));
    }
    // A newline or other control character in an entry name forges lines in
    // listings (`unzip -l`) and in CHANGES.md; such a file is not exported.
    if parts.iter().any(|p| p.chars().any(char::is_control)) {
        return Err(ExportError::Invalid(format!(
            "{:?}: the file name holds a control character (a newline, say); rename the file before exporting it",
            path.display().to_string()
        )));
    }
    Ok(parts.join("/"))
}

/// The human summary: what to do with each file.
fn changes_md(changes: &ChangeSet) -> String {
    let mut created = Vec::new();
    let mut changed = Vec::new();
    let mut moved = Vec::new();
    let mut deleted = Vec::new();
    for c in &changes.changes {
        let p = slash_path(&c.path);
        match &c.kind {
            ChangeKind::Created => created.push(format!("- `{p}`")),
            ChangeKind::Changed => changed.push(format!("- `{p}`")),
            ChangeKind::Moved { from } => moved.push(format!("- `{}` → `{p}`", slash_path(from))),
            ChangeKind::Deleted => deleted.push(format!("- `{p}`")),
        }
    }
    let mut s = String::from("# Changes\n\n");
    let _ = writeln!(
        s,
        "This archive holds the new version of every created, changed or moved file at its \
         path in the site. Copy them over the site, then delete the files listed under \
         \"Deleted\" and the old paths of moved files.\n"
    );
    let sections = [
        ("Created", created),
        ("Changed", changed),
        ("Moved", moved),
        ("Deleted (not in this archive; delete them)", deleted),
    ];
    for (title, list) in sections {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(s, "## {title}\n");
        for line in list {
            s.push_str(&line);
            s.push('\n');
        }
        s.push('\n');
    }
    s
}
