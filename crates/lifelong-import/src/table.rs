//! The table an upload turns into, and the builder both readers feed cell by cell.
//!
//! All cell text of a table lives in one `String`; each row keeps a span per schema column into
//! it, so reading a row allocates nothing and a million rows cost a few allocations in total.

use std::fmt;

use lifelong_core::Lang;

use crate::error::{CellProblem, FileError, RowError};
use crate::schema::{Column, HeaderMatcher, Schema};
use crate::{Format, Limits};

/// A byte range into the table's text. `u32` keeps a million-row table compact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    end: u32,
}

/// A format-level problem recorded while reading, turned into a `RowError` on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Problem {
    row: usize,
    column: Option<usize>,
    kind: CellProblem,
}

/// An upload read into rows of trimmed cell text, keyed by the schema's columns.
pub struct Table {
    format: Format,
    columns: &'static [Column],
    present: Vec<bool>,
    ignored_headers: Vec<String>,
    text: String,
    spans: Vec<Span>,
    numbers: Vec<usize>,
    problems: Vec<Problem>,
}

impl Table {
    /// Reads an upload: detects the format from the content, decodes it, matches the header row
    /// against `schema` and collects the non-blank data rows. See the crate docs for the rules.
    pub fn read(bytes: &[u8], schema: &Schema, limits: &Limits) -> Result<Table, FileError> {
        if bytes.is_empty() {
            return Err(FileError::Empty);
        }
        if bytes.len() > limits.max_bytes {
            return Err(FileError::TooLarge {
                max_bytes: limits.max_bytes,
                found: bytes.len(),
            });
        }
        if bytes.starts_with(crate::OLE_SIGNATURE) {
            return Err(FileError::OldExcel);
        }
        match crate::detect(bytes) {
            Format::Xlsx => crate::workbook::read(bytes, schema, limits),
            Format::Csv => crate::delimited::read(bytes, schema, limits),
        }
    }

    /// The data rows in file order; blank rows are not included.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row<'_>> + '_ {
        (0..self.numbers.len()).map(move |index| Row { table: self, index })
    }

    /// The number of non-blank data rows.
    pub fn len(&self) -> usize {
        self.numbers.len()
    }

    /// Whether the file had a header row but no data rows.
    pub fn is_empty(&self) -> bool {
        self.numbers.is_empty()
    }

    /// The format the content was detected as.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Header cells that named no schema column, as written (trimmed), in file order. Their
    /// cells were ignored; the UI can tell the person so.
    pub fn ignored_headers(&self) -> &[String] {
        &self.ignored_headers
    }

    /// Whether the file's header row has this column (an optional column may be absent).
    pub fn has_column(&self, key: &str) -> bool {
        self.column_index(key)
            .and_then(|i| self.present.get(i).copied())
            .unwrap_or(false)
    }

    /// The schema columns this table was read against.
    pub fn columns(&self) -> &'static [Column] {
        self.columns
    }

    /// The position of a key among the schema columns, for `Row::get_at` in hot loops.
    pub fn column_index(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// Format-level problems found in rows that were still read (cells beyond the header in
    /// CSV, numbers that lost digits in Excel, formula errors), in file order, for the dry run.
    pub fn row_errors(&self, lang: Lang) -> Vec<RowError> {
        self.problems
            .iter()
            .map(|p| {
                let column = p.column.and_then(|i| self.columns.get(i)).map(|c| c.key);
                RowError::explained(p.row, column, &p.kind, lang)
            })
            .collect()
    }
}

impl fmt::Debug for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Table")
            .field("format", &self.format)
            .field("rows", &self.numbers.len())
            .field("ignored_headers", &self.ignored_headers)
            .finish_non_exhaustive()
    }
}

/// One data row of a `Table`, borrowed from it.
#[derive(Clone, Copy)]
pub struct Row<'a> {
    table: &'a Table,
    index: usize,
}

impl<'a> Row<'a> {
    /// The row number a person sees in Excel: the header is row 1 (in a file without blank
    /// rows above it), the first data row 2; blank rows are counted.
    pub fn number(&self) -> usize {
        self.table.numbers.get(self.index).copied().unwrap_or(0)
    }

    /// The trimmed text of the cell in the column with this key; `""` when the cell is empty,
    /// the column is absent from the file, or the key is not in the schema.
    pub fn get(&self, key: &str) -> &'a str {
        self.table
            .column_index(key)
            .map(|i| self.get_at(i))
            .unwrap_or("")
    }

    /// The cell at a schema column position (see `Table::column_index`); `""` when out of range.
    pub fn get_at(&self, column: usize) -> &'a str {
        let width = self.table.columns.len();
        let Some(span) = self.table.spans.get(self.index * width + column) else {
            return "";
        };
        if column >= width {
            return "";
        }
        self.table
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("")
    }

    /// `(key, text)` for every schema column, in schema order.
    pub fn cells(&self) -> impl Iterator<Item = (&'static str, &'a str)> + '_ {
        let row = *self;
        self.table
            .columns
            .iter()
            .enumerate()
            .map(move |(i, c)| (c.key, row.get_at(i)))
    }
}

impl fmt::Debug for Row<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        map.entry(&"row", &self.number());
        for (key, value) in self.cells() {
            map.entry(&key, &value);
        }
        map.finish()
    }
}

/// Marks a file column that maps to no schema column.
const UNMAPPED: u16 = u16::MAX;

/// Excel's column limit; cells beyond it are ignored, so a header of millions of fields cannot
/// make the builder hold millions of header strings.
const MAX_COLUMNS: usize = 16_384;

/// Assembles a `Table` from rows of cells: the first non-blank row is the header, the rest data.
/// Both readers drive it with `begin_row`, `cell`/`problem` and `end_row`.
pub(crate) struct Builder {
    format: Format,
    columns: &'static [Column],
    max_rows: usize,
    matcher: HeaderMatcher,
    /// Header cells collected until the header row is complete.
    header: Option<Vec<(usize, String)>>,
    /// File column → schema column, `UNMAPPED` for ignored columns.
    map: Vec<u16>,
    present: Vec<bool>,
    ignored_headers: Vec<String>,
    text: String,
    spans: Vec<Span>,
    numbers: Vec<usize>,
    problems: Vec<Problem>,
    current: Vec<Span>,
    current_number: usize,
    current_filled: bool,
    current_extra: bool,
    /// How many problems were recorded before the current row, to drop them if it is blank.
    problems_mark: usize,
}

impl Builder {
    pub(crate) fn new(format: Format, schema: &Schema, limits: &Limits, text_hint: usize) -> Self {
        let width = schema.columns.len();
        Builder {
            format,
            columns: schema.columns,
            max_rows: limits.max_rows,
            matcher: HeaderMatcher::new(schema),
            header: Some(Vec::new()),
            map: Vec::new(),
            present: vec![false; width],
            ignored_headers: Vec::new(),
            text: String::with_capacity(text_hint),
            spans: Vec::new(),
            numbers: Vec::new(),
            problems: Vec::new(),
            current: vec![Span::default(); width],
            current_number: 0,
            current_filled: false,
            current_extra: false,
            problems_mark: 0,
        }
    }

    pub(crate) fn begin_row(&mut self, number: usize) {
        self.current_number = number;
        self.current_filled = false;
        self.current_extra = false;
        self.problems_mark = self.problems.len();
        if let Some(header) = &mut self.header {
            header.clear();
        } else {
            self.current.fill(Span::default());
        }
    }

    /// One cell of the current row at a zero-based file column.
    pub(crate) fn cell(&mut self, column: usize, value: &str) -> Result<(), FileError> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(());
        }
        self.current_filled = true;
        if column >= MAX_COLUMNS {
            self.current_extra = true;
            return Ok(());
        }
        if let Some(header) = &mut self.header {
            header.push((column, value.to_owned()));
            return Ok(());
        }
        match self.map.get(column) {
            Some(&slot) if slot != UNMAPPED => {
                let start = self.text.len();
                self.text.push_str(value);
                let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(self.text.len()))
                else {
                    return Err(FileError::TooLarge {
                        max_bytes: u32::MAX as usize,
                        found: self.text.len(),
                    });
                };
                if let Some(span) = self.current.get_mut(usize::from(slot)) {
                    *span = Span { start, end };
                }
            }
            Some(_) => {}
            None => self.current_extra = true,
        }
        Ok(())
    }

    /// A problem with a cell of the current row; the cell counts as filled.
    pub(crate) fn problem(&mut self, column: usize, kind: CellProblem) {
        self.current_filled = true;
        if self.header.is_some() {
            return;
        }
        if let Some(&slot) = self.map.get(column) {
            if slot != UNMAPPED {
                self.problems.push(Problem {
                    row: self.current_number,
                    column: Some(usize::from(slot)),
                    kind,
                });
            }
        }
    }

    /// Ends the current row: the first non-blank row becomes the header, later ones data rows.
    pub(crate) fn end_row(&mut self) -> Result<(), FileError> {
        if !self.current_filled {
            self.problems.truncate(self.problems_mark);
            return Ok(());
        }
        if let Some(header) = self.header.take() {
            return self.resolve_header(&header);
        }
        if self.numbers.len() >= self.max_rows {
            return Err(FileError::TooManyRows {
                max: self.max_rows,
                found_at_least: self.numbers.len() + 1,
            });
        }
        if self.current_extra && self.format == Format::Csv {
            self.problems.push(Problem {
                row: self.current_number,
                column: None,
                kind: CellProblem::ExtraCells,
            });
        }
        self.numbers.push(self.current_number);
        self.spans.extend_from_slice(&self.current);
        Ok(())
    }

    fn resolve_header(&mut self, header: &[(usize, String)]) -> Result<(), FileError> {
        let width = header.iter().map(|&(c, _)| c + 1).max().unwrap_or(0);
        self.map = vec![UNMAPPED; width];
        let mut matched = 0;
        for (column, text) in header {
            match self.matcher.find(text) {
                Some(slot) => {
                    if self.present[slot] {
                        return Err(FileError::DuplicateColumn {
                            header: text.clone(),
                            key: self.columns[slot].key,
                        });
                    }
                    self.present[slot] = true;
                    // A schema never has 65535 columns; such a slot would just be ignored.
                    self.map[*column] = u16::try_from(slot).unwrap_or(UNMAPPED);
                    matched += 1;
                }
                None => self.ignored_headers.push(text.clone()),
            }
        }
        if matched == 0 {
            return Err(FileError::MissingHeader);
        }
        let missing: Vec<&Column> = self
            .columns
            .iter()
            .zip(&self.present)
            .filter(|(c, present)| c.required && !**present)
            .map(|(c, _)| c)
            .collect();
        if !missing.is_empty() {
            return Err(FileError::MissingColumns {
                missing: missing.iter().map(|c| c.key).collect(),
                labels: missing.iter().map(|c| c.label()).collect(),
            });
        }
        Ok(())
    }

    /// The finished table; `Empty` when no non-blank row was seen at all.
    pub(crate) fn finish(self) -> Result<Table, FileError> {
        if self.header.is_some() {
            return Err(FileError::Empty);
        }
        Ok(Table {
            format: self.format,
            columns: self.columns,
            present: self.present,
            ignored_headers: self.ignored_headers,
            text: self.text,
            spans: self.spans,
            numbers: self.numbers,
            problems: self.problems,
        })
    }
}
