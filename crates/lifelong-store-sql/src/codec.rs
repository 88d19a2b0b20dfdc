//! How domain values are written as column values and read back. Both engines see the same
//! text forms (through sqlx's `Any` driver), which is what keeps their behaviour identical.

use lifelong_store::{StoreError, StoreResult};
use sqlx::any::AnyRow;
use sqlx::Row;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

/// A UTC timestamp as fixed-width RFC 3339 text with microseconds, so text order is time order.
pub fn ts(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    t.format(&fmt)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// Parses a timestamp written by [`ts`].
pub fn parse_ts(text: &str) -> StoreResult<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|e| StoreError::corrupt("timestamp", e))
}

/// A calendar date as `YYYY-MM-DD`.
pub fn date(d: Date) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    d.format(&fmt).unwrap_or_default()
}

/// Parses a date written by [`date`].
pub fn parse_date(text: &str) -> StoreResult<Date> {
    let fmt = format_description!("[year]-[month]-[day]");
    Date::parse(text, &fmt).map_err(|e| StoreError::corrupt("date", e))
}

/// Typed column access with store errors.
pub trait RowExt {
    fn text(&self, col: &str) -> StoreResult<String>;
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>>;
    fn int(&self, col: &str) -> StoreResult<i64>;
    fn opt_int(&self, col: &str) -> StoreResult<Option<i64>>;
    fn bytes(&self, col: &str) -> StoreResult<Vec<u8>>;
    fn opt_bytes(&self, col: &str) -> StoreResult<Option<Vec<u8>>>;
    fn time(&self, col: &str) -> StoreResult<OffsetDateTime> {
        parse_ts(&self.text(col)?)
    }
    fn opt_time(&self, col: &str) -> StoreResult<Option<OffsetDateTime>> {
        self.opt_text(col)?.as_deref().map(parse_ts).transpose()
    }
    fn flag(&self, col: &str) -> StoreResult<bool> {
        Ok(self.int(col)? != 0)
    }
    /// A text column parsed into a domain value.
    fn parsed<T>(
        &self,
        col: &'static str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> StoreResult<T> {
        let text = self.text(col)?;
        parse(&text).ok_or_else(|| StoreError::corrupt(col, text))
    }
}

fn column_error(col: &str, e: sqlx::Error) -> StoreError {
    StoreError::Backend(format!("column {col}: {e}"))
}

impl RowExt for AnyRow {
    fn text(&self, col: &str) -> StoreResult<String> {
        self.try_get(col).map_err(|e| column_error(col, e))
    }
    fn opt_text(&self, col: &str) -> StoreResult<Option<String>> {
        self.try_get(col).map_err(|e| column_error(col, e))
    }
    fn int(&self, col: &str) -> StoreResult<i64> {
        self.try_get(col).map_err(|e| column_error(col, e))
    }
    fn opt_int(&self, col: &str) -> StoreResult<Option<i64>> {
        self.try_get(col).map_err(|e| column_error(col, e))
    }
    fn bytes(&self, col: &str) -> StoreResult<Vec<u8>> {
        self.try_get(col).map_err(|e| column_error(col, e))
    }
    fn opt_bytes(&self, col: &str) -> StoreResult<Option<Vec<u8>>> {
        self.try_get(col).map_err(|e| column_error(col, e))
    }
}

/// Maps a database error; a unique-constraint violation becomes `Conflict(code)`.
pub fn conflict_on_unique(code: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(code),
        _ => backend(e),
    }
}

/// Most bind parameters in one multi-row statement. SQLite resolves `$n` parameters with a
/// linear search while parsing, so a statement's parse time grows with the square of its
/// parameter count: a few hundred parameters per statement is the sweet spot (measured in
/// docs/PERFORMANCE.md), and PostgreSQL is as happy with it.
pub const PARAMS_PER_STATEMENT: usize = 240;

/// `rows` groups of `cols` numbered placeholders, `($1,$2),($3,$4)…`, for a multi-row INSERT.
pub fn row_placeholders(rows: usize, cols: usize) -> String {
    let mut out = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            out.push(',');
        }
        out.push('(');
        for c in 0..cols {
            if c > 0 {
                out.push(',');
            }
            out.push('$');
            out.push_str(&(r * cols + c + 1).to_string());
        }
        out.push(')');
    }
    out
}

/// How multi-row INSERTs are written on a connection's engine: SQLite gets anonymous `?`
/// placeholders, which it binds by position (no name to look up, so a statement may carry many
/// more rows); PostgreSQL gets `$n`.
#[derive(Debug, Clone, Copy)]
pub struct Batch {
    anonymous: bool,
    max_params: usize,
}

impl Batch {
    /// The batch shape for `conn`'s engine.
    pub fn of(conn: &sqlx::AnyConnection) -> Batch {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Batch {
                anonymous: true,
                max_params: SQLITE_PARAMS_PER_STATEMENT,
            }
        } else {
            Batch {
                anonymous: false,
                max_params: PARAMS_PER_STATEMENT,
            }
        }
    }

    /// Rows of `cols` columns per statement.
    pub fn rows(&self, cols: usize) -> usize {
        (self.max_params / cols.max(1)).max(1)
    }

    /// The VALUES list of `rows` rows of `cols` columns.
    pub fn values(&self, rows: usize, cols: usize) -> String {
        if !self.anonymous {
            return row_placeholders(rows, cols);
        }
        let row = format!("({})", vec!["?"; cols].join(","));
        vec![row; rows].join(",")
    }
}

/// Parameters per multi-row INSERT on PostgreSQL (its limit is 65,535); fewer round trips.
pub const POSTGRES_PARAMS_PER_STATEMENT: usize = 4000;

/// Parameters per statement with anonymous placeholders on SQLite (its limit is 32,766).
pub const SQLITE_PARAMS_PER_STATEMENT: usize = 4000;

/// `$1,$2,…,$n`, for an `IN (…)` list.
pub fn list_placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Maps any other database error.
pub fn backend(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        other => StoreError::Backend(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn placeholders_number_rows_in_order() {
        assert_eq!(row_placeholders(2, 3), "($1,$2,$3),($4,$5,$6)");
        assert_eq!(list_placeholders(3), "$1,$2,$3");
    }

    #[test]
    fn timestamps_are_fixed_width_utc_and_round_trip() {
        let t = datetime!(2026-11-23 18:30:28.5 +08:00);
        let s = ts(t);
        assert_eq!(s, "2026-11-23T10:30:28.500000Z");
        assert_eq!(parse_ts(&s).unwrap(), t);
        assert!(ts(datetime!(2026-01-02 00:00 UTC)) < ts(datetime!(2026-11-02 00:00 UTC)));
    }
}
