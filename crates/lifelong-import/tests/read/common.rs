//! The schema the tests read against, and ways to look at a table or an error compactly.

use lifelong_core::Explain;
use lifelong_import::{Column, FileError, Limits, Schema, Table};

pub const COLUMNS: &[Column] = &[
    Column {
        key: "name",
        aliases: &["学员姓名", "full name"],
        required: true,
        label_zh: "姓名",
        label_en: "Name",
    },
    Column {
        key: "id_number",
        aliases: &["身份证号", "证件号码(身份证)", "ID No."],
        required: true,
        label_zh: "身份证号码",
        label_en: "ID number",
    },
    Column {
        key: "mobile",
        aliases: &["手机号码", "手机", "phone"],
        required: false,
        label_zh: "手机号",
        label_en: "Mobile",
    },
];

/// One table-driven case: name, file bytes, rows or error code.
pub type Case = (&'static str, Vec<u8>, Result<Vec<String>, &'static str>);

pub const SCHEMA: Schema = Schema { columns: COLUMNS };

/// Each row as `number:name|id_number|mobile`.
pub fn dump(table: &Table) -> Vec<String> {
    table
        .rows()
        .map(|row| {
            format!(
                "{}:{}|{}|{}",
                row.number(),
                row.get("name"),
                row.get("id_number"),
                row.get("mobile")
            )
        })
        .collect()
}

/// The rows, or the error's code.
pub fn outcome(bytes: &[u8]) -> Result<Vec<String>, &'static str> {
    outcome_with(bytes, &Limits::default())
}

pub fn outcome_with(bytes: &[u8], limits: &Limits) -> Result<Vec<String>, &'static str> {
    read(bytes, limits).map(|t| dump(&t)).map_err(|e| e.code())
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Table, FileError> {
    Table::read(bytes, &SCHEMA, limits)
}
