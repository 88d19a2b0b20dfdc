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

/// Rows as `dump` shows them, or the error's code.
pub type Outcome = Result<Vec<String>, &'static str>;

/// One table-driven case: name, file bytes, expected outcome.
pub type Case = (&'static str, Vec<u8>, Outcome);

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
pub fn outcome(bytes: &[u8]) -> Outcome {
    outcome_with(bytes, &Limits::default())
}

pub fn outcome_with(bytes: &[u8], limits: &Limits) -> Outcome {
    read(bytes, limits).map(|t| dump(&t)).map_err(|e| e.code())
}

pub fn read(bytes: &[u8], limits: &Limits) -> Result<Table, FileError> {
    Table::read(bytes, &SCHEMA, limits)
}

/// A ZIP archive with one stored (uncompressed) entry.
pub fn stored_zip(name: &str, content: &[u8]) -> Vec<u8> {
    zip_of(&[(name, content, content.len() as u32)])
}

/// A ZIP archive with one stored entry whose directory declares `unpacked` bytes.
pub fn zip_declaring(name: &str, content: &[u8], unpacked: u32) -> Vec<u8> {
    zip_of(&[(name, content, unpacked)])
}

/// A ZIP archive of stored entries: name, content, declared unpacked size.
pub fn zip_of(entries: &[(&str, &[u8], u32)]) -> Vec<u8> {
    let mut zip = Vec::new();
    let mut directory = Vec::new();
    for &(name, content, unpacked) in entries {
        let offset = zip.len() as u32;
        let crc = crc32(content);
        let size = content.len() as u32;
        let name_len = (name.len() as u16).to_le_bytes();
        zip.extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0");
        zip.extend_from_slice(&crc.to_le_bytes());
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&size.to_le_bytes());
        zip.extend_from_slice(&name_len);
        zip.extend_from_slice(&[0, 0]);
        zip.extend_from_slice(name.as_bytes());
        zip.extend_from_slice(content);
        directory.extend_from_slice(b"PK\x01\x02\x14\0\x14\0\0\0\0\0\0\0\0\0");
        directory.extend_from_slice(&crc.to_le_bytes());
        directory.extend_from_slice(&size.to_le_bytes());
        directory.extend_from_slice(&unpacked.to_le_bytes());
        directory.extend_from_slice(&name_len);
        directory.extend_from_slice(&[0; 12]);
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let directory_at = zip.len() as u32;
    let count = (entries.len() as u16).to_le_bytes();
    zip.extend_from_slice(&directory);
    zip.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    zip.extend_from_slice(&count);
    zip.extend_from_slice(&count);
    zip.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    zip.extend_from_slice(&directory_at.to_le_bytes());
    zip.extend_from_slice(&[0, 0]);
    zip
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A minimal workbook written by hand, so tests control the sheet XML exactly. `cells` is the
/// XML inside `<sheetData>` after a header row naming 姓名 (A) and 身份证号码 (B).
pub fn handmade_xlsx(cells: &str) -> Vec<u8> {
    handmade_workbook("worksheet", cells)
}

/// A handmade workbook whose only sheet is of `kind` (`worksheet`, `chartsheet`).
pub fn handmade_workbook(kind: &str, cells: &str) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/{kind}" Target="worksheets/sheet1.xml"/></Relationships>"#
    );
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>身份证号码</t></is></c></row>{cells}</sheetData></worksheet>"#
    );
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#;
    let root = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let entries: [(&str, &[u8]); 5] = [
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", root.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    let entries: Vec<(&str, &[u8], u32)> = entries
        .iter()
        .map(|&(name, content)| (name, content, content.len() as u32))
        .collect();
    zip_of(&entries)
}
