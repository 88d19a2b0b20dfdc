//! Cursor pagination: a page of items and an opaque cursor to the next one. Cursors are the
//! last identifier seen; identifiers are time-ordered, so pages are stable under inserts.

use serde::Serialize;

/// Where a page starts: after this key (exclusive), or at the beginning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    /// The sort key of the last item of the previous page.
    pub after: Option<String>,
    /// How many items at most.
    pub limit: u32,
}

impl Cursor {
    /// The largest page any caller may ask for.
    pub const MAX_LIMIT: u32 = 500;

    /// A cursor from request parameters, with the limit clamped to `1..=MAX_LIMIT`.
    pub fn new(after: Option<String>, limit: Option<u32>) -> Self {
        let limit = limit.unwrap_or(50).clamp(1, Self::MAX_LIMIT);
        Cursor {
            after: after.filter(|a| !a.is_empty()),
            limit,
        }
    }

    /// The first page with the default size.
    pub fn first() -> Self {
        Cursor::new(None, None)
    }
}

/// One page of results.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The cursor for the next page, when there is one.
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in order: the extra row only tells
    /// that there is more.
    pub fn from_overfetch(mut rows: Vec<T>, limit: u32, key: impl Fn(&T) -> String) -> Self {
        let has_more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next = if has_more { rows.last().map(key) } else { None };
        Page { items: rows, next }
    }

    /// Maps the items, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}
