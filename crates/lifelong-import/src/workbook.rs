//! Reads an .xlsx workbook from memory into a table, streaming the cells of its first worksheet.
//!
//! Cells come out as the text a person typed: whole numbers without `.0`, other numbers rounded
//! to Excel's 15 significant digits, dates as `YYYY-MM-DD` (`YYYY-MM-DD HH:MM:SS` with a time,
//! `HH:MM:SS` for a time alone), booleans as `true`/`false`, and formula errors (`#N/A`) as empty
//! cells with a `cell_formula_error` row problem. A number of 16 or more digits (an ID number
//! typed into a cell not formatted as text) has already lost digits inside Excel; it comes out
//! as the nearest integer text and a `cell_lost_digits` row problem, so the dry run can say why
//! the ID is wrong.

use std::fmt::Write as _;
use std::io::Cursor;
use std::panic::AssertUnwindSafe;

use calamine::{DataRef, ExcelDateTime, Reader, SheetType, SheetVisible, Xlsx};

use crate::error::{CellProblem, FileError};
use crate::schema::Schema;
use crate::table::{Builder, Table};
use crate::{Format, Limits};

/// Unpacked size allowed per packed byte; real workbooks compress 5–25 times, ZIP bombs 1000.
const MAX_UNPACK_RATIO: u64 = 100;

/// Numbers from this magnitude have 16 or more digits, more than Excel keeps.
const LOST_DIGITS_FROM: f64 = 1e15;

pub(crate) fn read(bytes: &[u8], schema: &Schema, limits: &Limits) -> Result<Table, FileError> {
    // The workbook parser reads untrusted XML, and absurd input can still trip it (calamine
    // 0.38 overflows parsing a row number like `A4294967296`, a panic in builds with overflow
    // checks). Everything the closure touches is its own, so nothing is left half-changed;
    // with `panic = "abort"` this guard would not help.
    std::panic::catch_unwind(AssertUnwindSafe(|| read_unguarded(bytes, schema, limits)))
        .unwrap_or(Err(FileError::InvalidXlsx))
}

fn read_unguarded(bytes: &[u8], schema: &Schema, limits: &Limits) -> Result<Table, FileError> {
    if let Some(unpacked) = unpacked_size(bytes) {
        let allowed = (limits.max_bytes as u64).saturating_mul(MAX_UNPACK_RATIO);
        if unpacked > allowed {
            return Err(FileError::TooLarge {
                max_bytes: limits.max_bytes,
                found: usize::try_from(unpacked).unwrap_or(usize::MAX),
            });
        }
    }
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| FileError::InvalidXlsx)?;
    let sheets = workbook.sheets_metadata();
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    let sheet = worksheets()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets().next())
        .ok_or(FileError::NoSheet)?;
    let name = sheet.name.clone();
    let mut cells = workbook
        .worksheet_cells_reader(&name)
        .map_err(|_| FileError::InvalidXlsx)?;

    let mut builder = Builder::new(Format::Xlsx, schema, limits, 0);
    let mut scratch = String::new();
    let mut current_row = None;
    while let Some(cell) = cells.next_cell().map_err(|_| FileError::InvalidXlsx)? {
        let (row, column) = cell.get_position();
        if current_row != Some(row) {
            if current_row.is_some() {
                builder.end_row()?;
            }
            current_row = Some(row);
            builder.begin_row(row as usize + 1);
        }
        let column = column as usize;
        match render(cell.get_value(), &mut scratch) {
            Rendered::Text(text) => builder.cell(column, text)?,
            Rendered::Scratch(problem) => {
                builder.cell(column, &scratch)?;
                if let Some(problem) = problem {
                    builder.problem(column, problem);
                }
            }
            Rendered::Problem(problem) => builder.problem(column, problem),
        }
    }
    if current_row.is_some() {
        builder.end_row()?;
    }
    builder.finish()
}

/// Where a cell's text ended up.
enum Rendered<'v> {
    /// Borrowed from the cell value.
    Text(&'v str),
    /// Written to the scratch buffer, possibly with a problem to report.
    Scratch(Option<CellProblem>),
    /// No text, only a problem.
    Problem(CellProblem),
}

fn render<'v>(value: &'v DataRef<'_>, scratch: &mut String) -> Rendered<'v> {
    scratch.clear();
    match value {
        DataRef::Empty => Rendered::Text(""),
        DataRef::String(text) | DataRef::DurationIso(text) => Rendered::Text(text),
        DataRef::DateTimeIso(text) => {
            Rendered::Text(text.strip_suffix("T00:00:00").unwrap_or(text.as_str()))
        }
        DataRef::SharedString(text) => Rendered::Text(text),
        DataRef::Bool(true) => Rendered::Text("true"),
        DataRef::Bool(false) => Rendered::Text("false"),
        DataRef::Error(_) => Rendered::Problem(CellProblem::FormulaError),
        DataRef::Int(number) => {
            let _ = write!(scratch, "{number}");
            Rendered::Scratch(None)
        }
        DataRef::Float(number) => Rendered::Scratch(write_number(*number, scratch)),
        DataRef::DateTime(datetime) => {
            write_datetime(datetime, scratch);
            Rendered::Scratch(None)
        }
    }
}

/// Writes a number the way Excel shows it in a General cell, without exponent notation.
fn write_number(number: f64, out: &mut String) -> Option<CellProblem> {
    if !number.is_finite() {
        return None;
    }
    if number.abs() >= LOST_DIGITS_FROM {
        // Display never uses exponents, and prints the shortest digits that round-trip.
        let _ = write!(out, "{}", number.trunc());
        return Some(CellProblem::LostDigits);
    }
    if number.fract() == 0.0 {
        // Exact: |number| < 1e15 fits an i64, and this also turns -0 into 0.
        let _ = write!(out, "{}", number as i64);
        return None;
    }
    // Round to 15 significant digits as Excel does, so 0.1 + 0.2 reads 0.3.
    let _ = write!(out, "{number:.14e}");
    let rounded = out.parse::<f64>().unwrap_or(number);
    out.clear();
    let _ = write!(out, "{rounded}");
    None
}

fn write_datetime(datetime: &ExcelDateTime, out: &mut String) {
    let serial = datetime.as_f64();
    if !serial.is_finite() {
        return;
    }
    if datetime.is_duration() {
        if serial >= 0.0 {
            let seconds = (serial * 86_400.0).round() as u64;
            let _ = write!(
                out,
                "{}:{:02}:{:02}",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            );
        }
        return;
    }
    let (year, month, day, hour, minute, second, _) = datetime.to_ymd_hms_milli();
    if (0.0..1.0).contains(&serial) {
        let _ = write!(out, "{hour:02}:{minute:02}:{second:02}");
    } else if (hour, minute, second) == (0, 0, 0) {
        let _ = write!(out, "{year:04}-{month:02}-{day:02}");
    } else {
        let _ = write!(
            out,
            "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"
        );
    }
}

/// The total unpacked size of the entries a ZIP's central directory declares, or `None` when it
/// cannot be read here (ZIP64, damage); the workbook reader then decides.
fn unpacked_size(zip: &[u8]) -> Option<u64> {
    let u16_at = |at: usize| {
        zip.get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |at: usize| {
        zip.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let last = zip.len().checked_sub(22)?;
    let first = last.saturating_sub(usize::from(u16::MAX));
    let end = (first..=last)
        .rev()
        .find(|&at| zip.get(at..at + 4) == Some(b"PK\x05\x06"))?;
    let entries = u16_at(end + 10)?;
    let offset = u32_at(end + 16)?;
    if entries == u16::MAX || offset == u32::MAX {
        return None;
    }
    let mut at = usize::try_from(offset).ok()?;
    let mut total: u64 = 0;
    for _ in 0..entries {
        if zip.get(at..at + 4) != Some(b"PK\x01\x02") {
            return None;
        }
        let size = u32_at(at + 24)?;
        if size == u32::MAX {
            return Some(u64::MAX);
        }
        total = total.saturating_add(u64::from(size));
        let variable = usize::from(u16_at(at + 28)?)
            + usize::from(u16_at(at + 30)?)
            + usize::from(u16_at(at + 32)?);
        at = at.checked_add(46 + variable)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use calamine::ExcelDateTimeType;

    use super::*;

    #[test]
    fn numbers_read_as_typed() {
        let cases: [(f64, &str, Option<CellProblem>); 9] = [
            (42.0, "42", None),
            (-0.0, "0", None),
            (3.5, "3.5", None),
            (0.1 + 0.2, "0.3", None),
            (123456789012345.0, "123456789012345", None),
            (0.000001, "0.000001", None),
            (-12.25, "-12.25", None),
            (
                3.40524198001011e17,
                "340524198001011000",
                Some(CellProblem::LostDigits),
            ),
            (1e15, "1000000000000000", Some(CellProblem::LostDigits)),
        ];
        for (number, text, problem) in cases {
            let mut out = String::new();
            assert_eq!(write_number(number, &mut out), problem, "{number}");
            assert_eq!(out, text, "{number}");
        }
    }

    #[test]
    fn dates_read_as_iso() {
        let cases = [
            (45658.0, ExcelDateTimeType::DateTime, "2025-01-01"),
            (45658.5, ExcelDateTimeType::DateTime, "2025-01-01 12:00:00"),
            (0.75, ExcelDateTimeType::DateTime, "18:00:00"),
            (1.5, ExcelDateTimeType::TimeDelta, "36:00:00"),
            (-1.0, ExcelDateTimeType::TimeDelta, ""),
            (f64::NAN, ExcelDateTimeType::DateTime, ""),
        ];
        for (serial, kind, text) in cases {
            let mut out = String::new();
            write_datetime(&ExcelDateTime::new(serial, kind, false), &mut out);
            assert_eq!(out, text, "{serial}");
        }
    }

    #[test]
    fn unreadable_zip_directories_give_no_size() {
        assert_eq!(unpacked_size(b""), None);
        assert_eq!(unpacked_size(b"PK\x05\x06"), None);
        let mut fake = b"PK\x05\x06".to_vec();
        fake.extend_from_slice(&[0; 6]);
        fake.extend_from_slice(&[5, 0]);
        fake.extend_from_slice(&[0; 10]);
        assert_eq!(unpacked_size(&fake), None);
    }
}
