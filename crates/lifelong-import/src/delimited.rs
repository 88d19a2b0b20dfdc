//! Reads delimited text (CSV, or tab/semicolon separated) into a table, streaming record by
//! record over the decoded text with one reused record buffer.
//!
//! The delimiter is sniffed from the header line: comma, tab and semicolon are each tried, and
//! the one whose fields name the most schema columns wins (then the one giving the most fields,
//! then comma). Row numbers are what Excel would show: blank lines count, and a quoted field
//! spanning lines stays one row. A quote that is never closed makes the file malformed
//! (`FileError::Csv`), since it would otherwise swallow every row after it.

use csv::{ByteRecord, ReaderBuilder};

use crate::error::FileError;
use crate::schema::{HeaderMatcher, Schema};
use crate::table::{Builder, Table};
use crate::{decode, Format, Limits};

/// The longest header line looked at when sniffing the delimiter.
const SNIFF_LIMIT: usize = 64 * 1024;

pub(crate) fn read(bytes: &[u8], schema: &Schema, limits: &Limits) -> Result<Table, FileError> {
    let text = decode::decode(bytes)?;
    let data = text.as_bytes();
    let delimiter = sniff_delimiter(data, schema);
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(data);
    let mut builder = Builder::new(Format::Csv, schema, limits, data.len());
    let mut record = ByteRecord::new();
    let mut next_number = 1;
    let mut last = (1, 0);
    loop {
        let start = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                return Err(FileError::Csv {
                    row: next_number,
                    detail: error.to_string(),
                })
            }
        }
        let start = usize::try_from(start).unwrap_or(usize::MAX);
        let (blank_lines, content_start) = skip_blank_lines(data, start);
        let number = next_number + blank_lines;
        next_number = number + 1;
        last = (number, content_start);
        builder.begin_row(number);
        for (column, field) in record.iter().enumerate() {
            // Fields split UTF-8 text at ASCII bytes, so this never fails in practice.
            let field = std::str::from_utf8(field).map_err(|_| FileError::Encoding)?;
            builder.cell(column, field)?;
        }
        builder.end_row()?;
    }
    let (last_number, last_start) = last;
    if ends_in_open_quote(data.get(last_start..).unwrap_or_default(), delimiter) {
        return Err(FileError::Csv {
            row: last_number,
            detail: "a quoted field is never closed".to_owned(),
        });
    }
    builder.finish()
}

/// Counts the line ends the CSV reader skipped as blank lines before a record that starts at
/// `start`, and returns where the record's content begins.
fn skip_blank_lines(data: &[u8], start: usize) -> (usize, usize) {
    let mut i = start;
    // The reader may end a record at the CR of a CRLF and leave its LF for the next read.
    if i > 0 && data.get(i - 1) == Some(&b'\r') && data.get(i) == Some(&b'\n') {
        i += 1;
    }
    let mut lines = 0;
    loop {
        match data.get(i) {
            Some(b'\r') => {
                lines += 1;
                i += if data.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            }
            Some(b'\n') => {
                lines += 1;
                i += 1;
            }
            _ => return (lines, i),
        }
    }
}

/// Whether `record` (the last record, to the end of the text) leaves a quoted field open,
/// following the reader's rules: a quote opens a field only as its first byte, and `""` inside
/// a quoted field is an escaped quote.
fn ends_in_open_quote(record: &[u8], delimiter: u8) -> bool {
    #[derive(PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    for &b in record {
        state = match state {
            State::FieldStart if b == b'"' => State::Quoted,
            State::FieldStart | State::Unquoted => {
                if b == delimiter || b == b'\n' || b == b'\r' {
                    State::FieldStart
                } else {
                    State::Unquoted
                }
            }
            State::Quoted if b == b'"' => State::QuoteInQuoted,
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if b == b'"' => State::Quoted,
            State::QuoteInQuoted => {
                if b == delimiter || b == b'\n' || b == b'\r' {
                    State::FieldStart
                } else {
                    State::Unquoted
                }
            }
        };
    }
    state == State::Quoted
}

/// Picks comma, tab or semicolon by how well the first non-blank line reads as a header.
fn sniff_delimiter(data: &[u8], schema: &Schema) -> u8 {
    let (_, start) = skip_blank_lines(data, 0);
    let rest = data.get(start..).unwrap_or_default();
    let end = rest
        .iter()
        .take(SNIFF_LIMIT)
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(rest.len().min(SNIFF_LIMIT));
    let line = rest.get(..end).unwrap_or_default();
    let mut matcher = HeaderMatcher::new(schema);
    let mut best = (b',', 0, 0);
    for delimiter in [b',', b'\t', b';'] {
        if delimiter != b',' && !line.contains(&delimiter) {
            continue;
        }
        let mut reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(line);
        let mut record = ByteRecord::new();
        if !matches!(reader.read_byte_record(&mut record), Ok(true)) {
            continue;
        }
        let matched = record
            .iter()
            .filter_map(|field| std::str::from_utf8(field).ok())
            .filter(|field| matcher.find(field).is_some())
            .count();
        if (matched, record.len()) > (best.1, best.2) {
            best = (delimiter, matched, record.len());
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_blank_lines_like_excel_rows() {
        let cases: [(&[u8], usize, (usize, usize)); 6] = [
            (b"a\nb", 2, (0, 2)),
            (b"a\n\n\nb", 2, (2, 4)),
            (b"a\r\n\r\nb", 2, (1, 5)),
            (b"a\r\n\r\nb", 3, (1, 5)),
            (b"a\r\rb", 2, (1, 3)),
            (b"\n\na", 0, (2, 2)),
        ];
        for (data, start, expected) in cases {
            assert_eq!(
                skip_blank_lines(data, start),
                expected,
                "{data:?} at {start}"
            );
        }
    }

    #[test]
    fn finds_open_quotes() {
        let cases: [(&[u8], bool); 7] = [
            (b"a,b", false),
            (b"\"a,b\",c", false),
            (b"\"a\"\"b\",c", false),
            (b"a\"b,c", false),
            (b"x,\"open\nmore\nrows", true),
            (b"x,\"a\"\"", true),
            (b"\"\"", false),
        ];
        for (data, expected) in cases {
            assert_eq!(ends_in_open_quote(data, b','), expected, "{data:?}");
        }
    }
}
