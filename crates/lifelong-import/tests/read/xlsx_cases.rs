//! Workbook uploads: real .xlsx files written by rust_xlsxwriter, and ZIPs that are not workbooks.

use lifelong_core::Lang;
use lifelong_import::{FileError, Format, Limits};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Formula, Workbook};

use crate::common::{
    dump, handmade_workbook, handmade_xlsx, outcome, outcome_with, read, stored_zip, zip_declaring,
    Case, Outcome,
};

/// A workbook with a header row and cells of every kind people produce.
fn enrolment_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let date = CellFormat::new().set_num_format("yyyy-mm-dd");
    let headers = [
        "学员姓名",
        "身份证号码",
        "手机号码",
        "入学日期",
        "学分",
        "在读",
        "备注",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    // Row 2: an ID typed as text, a mobile number typed as a number, a date, a decimal.
    sheet.write_string(1, 0, " 张三 ").unwrap();
    sheet.write_string(1, 1, "11010519491231002X").unwrap();
    sheet.write_number(1, 2, 13800000000.0).unwrap();
    let enrolled = ExcelDateTime::from_ymd(2024, 9, 1).unwrap();
    sheet
        .write_datetime_with_format(1, 3, &enrolled, &date)
        .unwrap();
    sheet.write_number(1, 4, 2.5).unwrap();
    sheet.write_boolean(1, 5, true).unwrap();
    // Row 3 is left blank. Row 4: an 18-digit ID typed as a number, a formula error. Excel would
    // keep 15 digits of the ID; rust_xlsxwriter keeps all an f64 has, read back as ...1260.
    sheet.write_string(3, 0, "李四").unwrap();
    sheet.write_number(3, 1, 340524198001011234.0).unwrap();
    sheet
        .write_formula(3, 2, Formula::new("=NA()").set_result("#N/A"))
        .unwrap();
    sheet.write_number(3, 4, 3.0).unwrap();
    // Row 5: only a formatted but empty cell, which is blank.
    sheet.write_blank(4, 0, &date).unwrap();
    workbook.save_to_buffer().unwrap()
}

#[test]
fn reads_a_real_workbook_as_typed() {
    let table = read(&enrolment_workbook(), &Limits::default()).unwrap();
    assert_eq!(table.format(), Format::Xlsx);
    assert_eq!(
        dump(&table),
        [
            "2:张三|11010519491231002X|13800000000",
            "4:李四|340524198001011260|"
        ]
    );
    assert_eq!(
        table.ignored_headers(),
        ["入学日期", "学分", "在读", "备注"]
    );
    let problems: Vec<_> = table
        .row_errors(Lang::Zh)
        .into_iter()
        .map(|e| (e.row, e.column.unwrap_or_default(), e.code))
        .collect();
    assert_eq!(
        problems,
        [
            (4, "id_number".to_owned(), "cell_lost_digits".to_owned()),
            (4, "mobile".to_owned(), "cell_formula_error".to_owned()),
        ]
    );
}

#[test]
fn dates_numbers_and_booleans_read_as_text() {
    use lifelong_import::{Column, Schema, Table};
    const COLUMNS: &[Column] = &[
        Column {
            key: "enrolled_on",
            aliases: &["入学日期"],
            required: true,
            label_zh: "入学日期",
            label_en: "Enrolled on",
        },
        Column {
            key: "credits",
            aliases: &["学分"],
            required: true,
            label_zh: "学分",
            label_en: "Credits",
        },
        Column {
            key: "active",
            aliases: &["在读"],
            required: false,
            label_zh: "在读",
            label_en: "Active",
        },
    ];
    let schema = Schema { columns: COLUMNS };
    let table = Table::read(&enrolment_workbook(), &schema, &Limits::default()).unwrap();
    let rows: Vec<Vec<&str>> = table
        .rows()
        .map(|r| vec![r.get("enrolled_on"), r.get("credits"), r.get("active")])
        .collect();
    // Row 4 has a number in a column outside this schema only, and credits 3.
    assert_eq!(rows, [vec!["2024-09-01", "2.5", "true"], vec!["", "3", ""]]);
}

#[test]
fn first_visible_worksheet_is_read() {
    let mut workbook = Workbook::new();
    let hidden = workbook.add_worksheet();
    hidden.write_string(0, 0, "选项").unwrap();
    hidden.set_hidden(true);
    let data = workbook.add_worksheet();
    data.write_string(0, 0, "Name").unwrap();
    data.write_string(0, 1, "ID number").unwrap();
    data.write_string(2, 0, "Wang").unwrap();
    data.write_string(2, 1, "1").unwrap();
    data.set_active(true);
    let bytes = workbook.save_to_buffer().unwrap();
    assert_eq!(outcome(&bytes), Ok(vec!["3:Wang|1|".to_owned()]));
}

#[test]
fn workbook_refusals() {
    let empty_workbook = {
        let mut workbook = Workbook::new();
        workbook.add_worksheet();
        workbook.save_to_buffer().unwrap()
    };
    let header_only = {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "姓名").unwrap();
        sheet.write_string(0, 1, "身份证号").unwrap();
        workbook.save_to_buffer().unwrap()
    };
    let missing = {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "姓名").unwrap();
        sheet.write_string(1, 0, "张三").unwrap();
        workbook.save_to_buffer().unwrap()
    };
    let real = enrolment_workbook();
    let truncated = real[..real.len() / 2].to_vec();
    let mut random_after_signature = b"PK\x03\x04".to_vec();
    random_after_signature
        .extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let cases: Vec<Case> = vec![
        ("a sheet without cells", empty_workbook, Err("file_empty")),
        ("header only", header_only, Ok(vec![])),
        ("missing column", missing, Err("file_missing_columns")),
        (
            "only a chart sheet",
            handmade_workbook("chartsheet", ""),
            Err("file_no_sheet"),
        ),
        (
            "a zip that is not a workbook",
            stored_zip("hello.txt", b"hello"),
            Err("file_invalid_xlsx"),
        ),
        (
            "an empty zip",
            b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec(),
            Err("file_invalid_xlsx"),
        ),
        ("a truncated workbook", truncated, Err("file_invalid_xlsx")),
        (
            "random bytes after a zip signature",
            random_after_signature,
            Err("file_invalid_xlsx"),
        ),
        (
            "random bytes named .xlsx",
            (0..4000u32)
                .map(|i| (i.wrapping_mul(2_246_822_519) >> 7) as u8)
                .collect(),
            Err("file_not_text"),
        ),
    ];
    for (name, bytes, expected) in cases {
        assert_eq!(outcome(&bytes), expected, "{name}");
    }
}

#[test]
fn workbook_rows_are_limited() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(0, 1, "身份证号码").unwrap();
    for row in 1..=4 {
        sheet.write_string(row, 0, "某人").unwrap();
        sheet.write_number(row, 1, f64::from(row)).unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let limits = |max_rows| Limits {
        max_bytes: 1 << 20,
        max_rows,
    };
    assert_eq!(outcome_with(&bytes, &limits(4)).unwrap().len(), 4);
    assert_eq!(
        read(&bytes, &limits(3)).unwrap_err(),
        FileError::TooManyRows {
            max: 3,
            found_at_least: 4
        }
    );
    // Refused on its declared unpacked size: far more than 100 times the upload limit.
    let tiny = Limits {
        max_bytes: bytes.len(),
        max_rows: 10,
    };
    assert!(outcome_with(&bytes, &tiny).is_ok());
    let bomb = zip_declaring("xl/worksheets/sheet1.xml", b"<x/>", 1_000_000);
    let small = Limits {
        max_bytes: 4 * 1024,
        max_rows: 10,
    };
    assert_eq!(outcome_with(&bomb, &small), Err("file_too_large"));
}

#[test]
fn handmade_sheet_xml_reads_as_expected() {
    let ok = |rows: &[&str]| Ok(rows.iter().map(|r| r.to_string()).collect::<Vec<_>>());
    let cases: Vec<(&str, &str, Outcome)> = vec![
        (
            "inline strings and numbers",
            r#"<row r="2"><c r="A2" t="inlineStr"><is><t> 张三 </t></is></c><c r="B2"><v>42</v></c></row>"#,
            ok(&["2:张三|42|"]),
        ),
        (
            "iso dates and booleans",
            r#"<row r="3"><c r="A3" t="d"><v>2024-01-02T00:00:00</v></c><c r="B3" t="b"><v>0</v></c></row>"#,
            ok(&["3:2024-01-02|false|"]),
        ),
        (
            "cells without positions follow their row",
            r#"<row r="5"><c t="inlineStr"><is><t>李四</t></is></c><c><v>7</v></c></row>"#,
            ok(&["5:李四|7|"]),
        ),
        (
            "an error cell is empty",
            r#"<row r="2"><c r="A2" t="e"><v>#N/A</v></c><c r="B2" t="str"><v>x</v></c></row>"#,
            ok(&["2:|x|"]),
        ),
        (
            "a shared string index with no shared strings",
            r#"<row r="2"><c r="A2" t="s"><v>5</v></c></row>"#,
            Err("file_invalid_xlsx"),
        ),
        (
            "an unterminated sheet",
            r#"<row r="2"><c r="A2"><v>1</v>"#,
            Err("file_invalid_xlsx"),
        ),
    ];
    for (name, cells, expected) in cases {
        assert_eq!(outcome(&handmade_xlsx(cells)), expected, "{name}");
    }
}

#[test]
fn absurd_cell_references_do_not_panic() {
    // calamine 0.38 overflows on these row numbers: a panic with overflow checks (debug and
    // test builds), a wrapped number without. Either way the read must return.
    for cells in [
        r#"<row r="2"><c r="A4294967296"><v>1</v></c></row>"#,
        r#"<row r="4294967296"><c><v>1</v></c></row>"#,
    ] {
        let _ = outcome(&handmade_xlsx(cells));
    }
}
