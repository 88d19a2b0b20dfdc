//! Downloadable templates for a schema: a header row of labels in the person's language and
//! optional example rows, as CSV or as an .xlsx workbook.
//!
//! The CSV starts with a UTF-8 byte-order mark so Excel shows Chinese correctly, and ends lines
//! with CRLF. Note that Excel still turns long digit strings typed into a CSV into numbers; the
//! .xlsx template avoids that by formatting every template column as Text (`@`), so ID numbers
//! and dates stay exactly as typed. Example rows give cells in schema order; missing cells are
//! left empty and cells beyond the schema's columns are dropped.

use lifelong_core::Lang;
use rust_xlsxwriter::{Format as CellFormat, FormatAlign, Workbook};

use crate::error::FileError;
use crate::schema::Schema;

/// A CSV template: UTF-8 with BOM, header labels in `lang`, then the example rows.
pub fn template_csv(schema: &Schema, lang: Lang, examples: &[&[&str]]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let labels: Vec<&str> = schema
        .columns
        .iter()
        .map(|c| c.label().pick(lang))
        .collect();
    write_csv_line(&mut out, &labels);
    for example in examples {
        let width = schema.columns.len();
        let cells: Vec<&str> = (0..width)
            .map(|i| example.get(i).copied().unwrap_or(""))
            .collect();
        write_csv_line(&mut out, &cells);
    }
    out
}

fn write_csv_line(out: &mut Vec<u8>, cells: &[&str]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let needs_quotes = cell.contains([',', '"', '\r', '\n', ';', '\t'])
            || cell.starts_with(char::is_whitespace)
            || cell.ends_with(char::is_whitespace);
        if needs_quotes {
            out.push(b'"');
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// An .xlsx template: one sheet, bold header labels in `lang` with the top row frozen, every
/// schema column formatted as Text, then the example rows.
pub fn template_xlsx(
    schema: &Schema,
    lang: Lang,
    examples: &[&[&str]],
) -> Result<Vec<u8>, FileError> {
    let fail = |error: rust_xlsxwriter::XlsxError| FileError::TemplateWrite {
        detail: error.to_string(),
    };
    let text = CellFormat::new().set_num_format("@");
    let header = CellFormat::new()
        .set_bold()
        .set_num_format("@")
        .set_align(FormatAlign::Center)
        .set_background_color("#DDEBF7");
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(lang.pick("数据", "Data")).map_err(fail)?;
    for (index, column) in schema.columns.iter().enumerate() {
        let col = u16::try_from(index).map_err(|_| FileError::TemplateWrite {
            detail: "too many columns for a worksheet".to_owned(),
        })?;
        let label = column.label().pick(lang);
        let widest = examples
            .iter()
            .filter_map(|row| row.get(index))
            .map(|cell| display_width(cell))
            .chain([display_width(label)])
            .max()
            .unwrap_or(0);
        sheet
            .set_column_width(col, (widest + 4).clamp(12, 40) as f64)
            .map_err(fail)?;
        sheet.set_column_format(col, &text).map_err(fail)?;
        sheet
            .write_string_with_format(0, col, label, &header)
            .map_err(fail)?;
        for (row, example) in examples.iter().enumerate() {
            let Some(cell) = example.get(index) else {
                continue;
            };
            let row = u32::try_from(row + 1).map_err(|_| FileError::TemplateWrite {
                detail: "too many example rows".to_owned(),
            })?;
            sheet
                .write_string_with_format(row, col, *cell, &text)
                .map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    workbook.save_to_buffer().map_err(fail)
}

/// Rough column width in Excel character units: CJK and other wide characters count double.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| if u32::from(c) >= 0x1100 { 2 } else { 1 })
        .sum()
}
