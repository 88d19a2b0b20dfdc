//! The columns an upload is expected to have, and how header cells written by people are matched
//! to them.
//!
//! Header matching is forgiving about what Excel and people do to a header: surrounding and inner
//! spaces (including the full-width space), a byte-order mark, full-width letters, digits and
//! parentheses (`（` = `(`), upper/lower case, and a `*` that marks a required column are all
//! ignored. Each column is recognised by its key, both labels and every alias.

/// One expected column of an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Stable key callers use to read the cell (`Row::get`), e.g. `"id_number"`.
    pub key: &'static str,
    /// Further header texts people may write, Chinese or English, e.g. `"身份证号码"`.
    pub aliases: &'static [&'static str],
    /// Whether the file must have this column (its cells may still be empty; callers decide).
    pub required: bool,
    /// The Chinese header written in templates and named in messages.
    pub label_zh: &'static str,
    /// The English header written in templates and named in messages.
    pub label_en: &'static str,
}

impl Column {
    /// The column's label in both languages.
    pub fn label(&self) -> Label {
        Label {
            zh: self.label_zh,
            en: self.label_en,
        }
    }

    /// Every header text that names this column, un-normalised: key, labels, aliases.
    fn names(&self) -> impl Iterator<Item = &'static str> {
        [self.key, self.label_zh, self.label_en]
            .into_iter()
            .chain(self.aliases.iter().copied())
    }
}

/// A column's label in the two languages of the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// Chinese label.
    pub zh: &'static str,
    /// English label.
    pub en: &'static str,
}

impl Label {
    /// The label in `lang`.
    pub fn pick(self, lang: lifelong_core::Lang) -> &'static str {
        match lang {
            lifelong_core::Lang::Zh => self.zh,
            lifelong_core::Lang::En => self.en,
        }
    }
}

/// The columns of one kind of upload, in template order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    /// The expected columns; the order is the template's order.
    pub columns: &'static [Column],
}

impl Schema {
    /// The column with this key.
    pub fn column(&self, key: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// Checks the schema itself: keys are unique and no header text names two columns.
    /// Meant for callers' unit tests; reading never needs it to pass.
    pub fn check(&self) -> Result<(), String> {
        let mut seen: Vec<(String, &str)> = Vec::new();
        for (i, column) in self.columns.iter().enumerate() {
            if self.columns[..i].iter().any(|c| c.key == column.key) {
                return Err(format!("duplicate key `{}`", column.key));
            }
            for name in column.names() {
                let normalized = normalize(name);
                if normalized.is_empty() {
                    return Err(format!("column `{}` has an empty name", column.key));
                }
                match seen.iter().find(|(n, _)| *n == normalized) {
                    Some((_, other)) if *other != column.key => {
                        return Err(format!(
                            "header `{name}` names both `{other}` and `{}`",
                            column.key
                        ));
                    }
                    _ => seen.push((normalized, column.key)),
                }
            }
        }
        Ok(())
    }
}

/// The schema's header names, normalised once per read.
pub(crate) struct HeaderMatcher {
    names: Vec<(String, usize)>,
    scratch: String,
}

impl HeaderMatcher {
    pub(crate) fn new(schema: &Schema) -> Self {
        let mut names = Vec::new();
        for (index, column) in schema.columns.iter().enumerate() {
            for name in column.names() {
                let normalized = normalize(name);
                if !normalized.is_empty() && !names.iter().any(|(n, _)| *n == normalized) {
                    names.push((normalized, index));
                }
            }
        }
        HeaderMatcher {
            names,
            scratch: String::new(),
        }
    }

    /// The schema column that a header cell names, if any.
    pub(crate) fn find(&mut self, header: &str) -> Option<usize> {
        self.scratch.clear();
        normalize_into(header, &mut self.scratch);
        if self.scratch.is_empty() {
            return None;
        }
        self.names
            .iter()
            .find(|(n, _)| *n == self.scratch)
            .map(|&(_, index)| index)
    }
}

/// The comparable form of a header text.
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

fn normalize_into(text: &str, out: &mut String) {
    for ch in text.chars() {
        if ch.is_whitespace() || matches!(ch, '\u{FEFF}' | '\u{200B}') {
            continue;
        }
        // Full-width ASCII variants (！ to ～) sit at a fixed offset from ASCII.
        let ch = match u32::from(ch) {
            code @ 0xFF01..=0xFF5E => char::from_u32(code - 0xFEE0).unwrap_or(ch),
            _ => ch,
        };
        if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    let trimmed = out.trim_matches('*');
    if trimmed.len() != out.len() {
        *out = trimmed.to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[Column] = &[
        Column {
            key: "name",
            aliases: &["姓名", "full name"],
            required: true,
            label_zh: "姓名",
            label_en: "Name",
        },
        Column {
            key: "id_number",
            aliases: &["身份证号码", "身份证号", "ID number", "证件号码(身份证)"],
            required: true,
            label_zh: "身份证号码",
            label_en: "ID number",
        },
    ];
    const SCHEMA: Schema = Schema { columns: COLUMNS };

    #[test]
    fn matches_headers_as_people_write_them() {
        let mut matcher = HeaderMatcher::new(&SCHEMA);
        let cases = [
            ("姓名", Some(0)),
            ("  姓 名 ", Some(0)),
            ("\u{FEFF}姓名", Some(0)),
            ("*姓名", Some(0)),
            ("NAME", Some(0)),
            ("Full  Name", Some(0)),
            ("ｎａｍｅ", Some(0)),
            ("\u{3000}身份证号码\u{3000}", Some(1)),
            ("证件号码（身份证）", Some(1)),
            ("证件号码 ( 身份证 )", Some(1)),
            ("Id_Number", Some(1)),
            ("电话", None),
            ("", None),
            ("  ", None),
        ];
        for (header, expected) in cases {
            assert_eq!(matcher.find(header), expected, "header {header:?}");
        }
    }

    #[test]
    fn check_finds_ambiguous_aliases() {
        assert_eq!(SCHEMA.check(), Ok(()));
        const BAD: &[Column] = &[
            Column {
                key: "a",
                aliases: &["编号"],
                required: true,
                label_zh: "甲",
                label_en: "A",
            },
            Column {
                key: "b",
                aliases: &["编 号"],
                required: false,
                label_zh: "乙",
                label_en: "B",
            },
        ];
        assert!(Schema { columns: BAD }.check().is_err());
        assert_eq!(SCHEMA.column("name").map(|c| c.label_en), Some("Name"));
    }
}
