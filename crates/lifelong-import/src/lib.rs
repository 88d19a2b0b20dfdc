//! Reads uploaded tables — CSV text or .xlsx workbooks — into rows of trimmed cell text keyed by
//! a schema's columns, with precise, explainable errors. Format-level only: whether a cell holds
//! a valid ID number or date is for the caller to decide.
//!
//! ```
//! use lifelong_import::{Column, Limits, Schema, Table};
//!
//! const COLUMNS: &[Column] = &[
//!     Column {
//!         key: "name",
//!         aliases: &["学员姓名"],
//!         required: true,
//!         label_zh: "姓名",
//!         label_en: "Name",
//!     },
//!     Column {
//!         key: "mobile",
//!         aliases: &["手机号码", "phone"],
//!         required: false,
//!         label_zh: "手机号",
//!         label_en: "Mobile",
//!     },
//! ];
//! const SCHEMA: Schema = Schema { columns: COLUMNS };
//!
//! let table = Table::read("姓名,备注\n张三,x\n\n李四,\n".as_bytes(), &SCHEMA, &Limits::default())?;
//! let rows: Vec<(usize, &str)> = table.rows().map(|r| (r.number(), r.get("name"))).collect();
//! assert_eq!(rows, [(2, "张三"), (4, "李四")]);
//! assert_eq!(table.ignored_headers(), ["备注"]);
//! assert!(!table.has_column("mobile"));
//! # Ok::<(), lifelong_import::FileError>(())
//! ```
//!
//! # The rules
//!
//! - **Format** is detected from the content, never the file name: a ZIP (`PK\x03\x04`, or an
//!   empty archive) is read as .xlsx, anything else must be text. A legacy `.xls` or encrypted
//!   workbook (an OLE file) is refused as `OldExcel`.
//! - **Limits** are checked first: more bytes than `max_bytes` is `TooLarge` before any parsing;
//!   a workbook whose entries unpack to more than 100 times `max_bytes` is `TooLarge` too. Reading
//!   stops at the first data row over `max_rows` (`TooManyRows`), without reading the rest.
//! - **Text encodings**: UTF-8 with or without BOM, UTF-16 LE/BE with BOM, otherwise GB18030 (what
//!   Excel on Chinese Windows writes as "CSV"). NUL and control characters other than tab, CR and
//!   LF are `NotText`; a decoding that would lose characters is `Encoding`, and so is text that
//!   is mostly UTF-8 with a few broken bytes (which GB18030 would turn into nonsense).
//! - **Delimiter**: comma, tab or semicolon, whichever makes the header line name the most
//!   schema columns (comma on a tie). Quoted fields may hold delimiters, quotes (`""`) and line
//!   breaks; a quote that is never closed is `FileError::Csv`.
//! - **Header**: the first non-blank row. Columns may come in any order; headers are matched
//!   against each column's key, labels and aliases, ignoring case, spaces, a BOM, a `*` marking a
//!   required column and the difference between full-width and half-width characters. Unknown
//!   headers are ignored and listed in `Table::ignored_headers`. A first row naming no schema
//!   column is `MissingHeader`; absent required columns are `MissingColumns`; a column named twice
//!   is `DuplicateColumn`. A header with no data rows is an empty table, not an error.
//! - **Rows**: blank rows (every cell empty after trimming) are skipped, but row numbers count
//!   them, as a person sees rows in Excel: the header is row 1 in a file that starts with it. A
//!   quoted CSV field spanning lines is one row. Cells are trimmed (Unicode whitespace, including
//!   the full-width space); a missing cell reads as `""`.
//! - **Workbooks**: the first visible worksheet (or the first worksheet when all are hidden); cell
//!   values come out as typed, as described below.
//! - **Row problems** that do not stop the read (`Table::row_errors`): in CSV, non-empty cells
//!   beyond the last header (`row_extra_cells`, often an unquoted comma); in workbooks, numbers of
//!   16 or more digits that Excel already rounded (`cell_lost_digits`, typically an ID number
//!   typed as a number) and formula errors such as `#N/A`, read as empty (`cell_formula_error`).
//!
//! Workbook cells: whole numbers are written without `.0`, other numbers rounded to Excel's 15
//! significant digits and never in exponent form; numbers of 16 or more digits as the integer
//! the stored value gives (its shortest exact digits: Excel itself keeps 15 and fills the rest
//! with zeros, so an ID ending in `X` must be typed as text anyway); dates as `YYYY-MM-DD` (with
//! ` HH:MM:SS` when there is a time, `HH:MM:SS` alone for a time), durations as `H:MM:SS`,
//! booleans as `true` and `false`. Percent and currency formats are not applied: `50%` reads
//! `0.5`.
//!
//! No input makes reading panic; a property test feeds it arbitrary bytes.

mod decode;
mod delimited;
mod error;
mod schema;
mod table;
mod template;
mod workbook;

pub use error::{FileError, RowError};
pub use schema::{Column, Label, Schema};
pub use table::{Row, Table};
pub use template::{template_csv, template_xlsx};

use serde::Serialize;

/// Upper bounds on what one upload may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest upload accepted, in bytes.
    pub max_bytes: usize,
    /// Most data rows accepted (blank rows not counted).
    pub max_rows: usize,
}

impl Default for Limits {
    /// 32 MiB and 100,000 rows.
    fn default() -> Self {
        Limits {
            max_bytes: 32 * 1024 * 1024,
            max_rows: 100_000,
        }
    }
}

/// The two kinds of upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Delimited text.
    Csv,
    /// An Office Open XML workbook.
    Xlsx,
}

impl Format {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    /// The media type to send a file of this format with.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Detects the format from the content: a ZIP archive is an .xlsx workbook, anything else must
/// be text. The file name is never consulted.
pub fn detect(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Format::Xlsx
    } else {
        Format::Csv
    }
}

/// The signature of an OLE compound file: a legacy .xls, or an encrypted .xlsx.
pub(crate) const OLE_SIGNATURE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
