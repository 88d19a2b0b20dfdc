//! Where in a statement a value sits, as a JSON path (`context.contextActivities.parent[0].id`).
//!
//! Validation walks deep trees and almost always succeeds, so a path is a chain of borrowed
//! segments on the stack and is only turned into text when an error is reported.

use std::fmt::Write as _;

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// A position in a JSON document, built while walking it.
#[derive(Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

impl<'a> Path<'a> {
    /// The document itself.
    pub(crate) const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
    };

    /// The property `key` of the object at this path.
    pub(crate) fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// The item `index` of the array at this path.
    pub(crate) fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// The path as text; empty for the root.
    pub(crate) fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            segments.push(path.segment);
            at = path.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::Index(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_keys_and_indexes() {
        let root = Path::ROOT;
        let context = root.key("context");
        let activities = context.key("contextActivities");
        let parent = activities.key("parent");
        let first = parent.index(0);
        assert_eq!(
            first.key("id").render(),
            "context.contextActivities.parent[0].id"
        );
        assert_eq!(root.render(), "");
        assert_eq!(root.index(2).key("id").render(), "[2].id");
    }
}
