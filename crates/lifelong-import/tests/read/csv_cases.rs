//! CSV uploads: encodings, delimiters, header matching, row numbering, quoting and refusals.

use encoding_rs::GB18030;
use lifelong_core::{Explain, Lang};
use lifelong_import::{detect, FileError, Format, Label, Limits, Table};

use crate::common::{dump, outcome, outcome_with, read, Case, SCHEMA};

const ID: &str = "11010519491231002X";

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, lossy) = GB18030.encode(text);
    assert!(!lossy);
    bytes.into_owned()
}

#[test]
fn reads_csv_shapes() {
    let ok = |rows: &[&str]| Ok(rows.iter().map(|r| r.to_string()).collect::<Vec<_>>());
    let cases: Vec<Case> = vec![
        (
            "utf-8 without bom",
            format!("姓名,身份证号码,手机号\n张三,{ID},13800000000\n").into(),
            ok(&["2:张三|11010519491231002X|13800000000"]),
        ),
        (
            "utf-8 with bom and crlf",
            format!("\u{FEFF}姓名,身份证号码\r\n张三,{ID}\r\n").into(),
            ok(&["2:张三|11010519491231002X|"]),
        ),
        (
            "gb18030 as excel on chinese windows saves it",
            gb18030(&format!("姓名,身份证号码,手机号码\r\n张三,{ID},139\r\n")),
            ok(&["2:张三|11010519491231002X|139"]),
        ),
        (
            "utf-16le with bom, tab separated (excel unicode text)",
            utf16le_with_bom(&format!("姓名\t身份证号码\r\n张三\t{ID}\r\n")),
            ok(&["2:张三|11010519491231002X|"]),
        ),
        (
            "english headers in any case",
            format!("NAME,id number,Phone\nZhang San,{ID},1\n").into(),
            ok(&["2:Zhang San|11010519491231002X|1"]),
        ),
        (
            "reordered columns and aliases",
            format!("手机,身份证号,学员姓名\n1,{ID},张三\n").into(),
            ok(&["2:张三|11010519491231002X|1"]),
        ),
        (
            "spaces, full-width parentheses and required marks in headers",
            format!(" 姓 名 ,*证件号码（身份证）\n 张三 ,\u{3000}{ID}\u{3000}\n").into(),
            ok(&["2:张三|11010519491231002X|"]),
        ),
        (
            "semicolon separated",
            format!("姓名;身份证号码\n张三;{ID}\n").into(),
            ok(&["2:张三|11010519491231002X|"]),
        ),
        (
            "comma wins over a semicolon inside a header",
            "姓名,身份证号码,备注;说明\n张三,1,x\n".into(),
            ok(&["2:张三|1|"]),
        ),
        (
            "blank rows are skipped but counted",
            "姓名,身份证号码\n\n张三,1\n,\n  ,  \r\n李四,2\n\n".into(),
            ok(&["3:张三|1|", "6:李四|2|"]),
        ),
        (
            "crlf blank lines are counted once each",
            "姓名,身份证号码\r\n\r\n\r\n张三,1\r\n".into(),
            ok(&["4:张三|1|"]),
        ),
        (
            "blank lines above the header",
            "\n\n姓名,身份证号码\n张三,1\n".into(),
            ok(&["4:张三|1|"]),
        ),
        (
            "quoted commas, quotes and line breaks",
            "姓名,身份证号码,手机号\n\"张,三\",\"1\n2\",\"say \"\"hi\"\"\"\n李四,3,\n".into(),
            ok(&["2:张,三|1\n2|say \"hi\"", "3:李四|3|"]),
        ),
        (
            "short rows read missing cells as empty",
            "姓名,身份证号码,手机号\n张三\n".into(),
            ok(&["2:张三||"]),
        ),
        ("header only", "姓名,身份证号码\n".into(), ok(&[])),
        ("empty", Vec::new(), Err("file_empty")),
        ("only a bom", "\u{FEFF}".into(), Err("file_empty")),
        ("only blank lines", "\n \n,,\r\n".into(), Err("file_empty")),
        (
            "missing required column",
            "姓名,手机号\n张三,1\n".into(),
            Err("file_missing_columns"),
        ),
        (
            "same column twice",
            "姓名,身份证号码,Name\n".into(),
            Err("file_duplicate_column"),
        ),
        (
            "no header row",
            format!("张三,{ID}\n李四,{ID}\n").into(),
            Err("file_missing_header"),
        ),
        (
            "unclosed quote",
            "姓名,身份证号码\n张三,\"1\n李四,2\n".into(),
            Err("file_malformed_csv"),
        ),
        (
            "binary garbage",
            vec![0x13, 0x00, 0xFF, 0x8A, 0x00, 0x01, 0x02, 0x7F],
            Err("file_not_text"),
        ),
        (
            "neither utf-8 nor gb18030",
            b"\xFF\xFF,\xFE\xFE\n".to_vec(),
            Err("file_encoding"),
        ),
        (
            "legacy xls",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0".to_vec(),
            Err("file_old_excel"),
        ),
    ];
    for (name, bytes, expected) in cases {
        assert_eq!(outcome(&bytes), expected, "{name}");
    }
}

#[test]
fn errors_carry_what_staff_need() {
    let missing = read("姓名,手机号\n".as_bytes(), &Limits::default()).unwrap_err();
    assert_eq!(
        missing,
        FileError::MissingColumns {
            missing: vec!["id_number"],
            labels: vec![Label {
                zh: "身份证号码",
                en: "ID number"
            }],
        }
    );
    assert!(missing.message(Lang::Zh).contains("“身份证号码”"));
    assert!(missing.message(Lang::En).contains("\"ID number\""));

    let duplicate = read("姓名,身份证号码,Name\n".as_bytes(), &Limits::default()).unwrap_err();
    assert_eq!(
        duplicate,
        FileError::DuplicateColumn {
            header: "Name".into(),
            key: "name"
        }
    );
    assert!(duplicate.message(Lang::Zh).contains("“Name”"));

    let unclosed = read(
        "姓名,身份证号码\n张三,1\n\n李四,\"2\n王五,3\n".as_bytes(),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(
        matches!(unclosed, FileError::Csv { row: 4, .. }),
        "{unclosed:?}"
    );
}

#[test]
fn header_only_is_an_empty_table() {
    let table = read("姓名,身份证号码,手机号\n\n".as_bytes(), &Limits::default()).unwrap();
    assert!(table.is_empty());
    assert_eq!(table.len(), 0);
    assert_eq!(table.format(), Format::Csv);
    assert!(table.has_column("mobile"));
}

#[test]
fn unknown_columns_are_ignored_and_listed() {
    let table = read(
        "备注,姓名,身份证号码,,Remarks\nx,张三,1,,y\n".as_bytes(),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(table.ignored_headers(), ["备注", "Remarks"]);
    assert_eq!(dump(&table), ["2:张三|1|"]);
    assert!(!table.has_column("mobile"));
    assert!(table.row_errors(Lang::Zh).is_empty());
}

#[test]
fn cells_beyond_the_header_are_reported() {
    let table = read(
        "姓名,身份证号码\n张三,1\n北京市,朝阳区,2\n".as_bytes(),
        &Limits::default(),
    )
    .unwrap();
    let errors = table.row_errors(Lang::En);
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].row, errors[0].code.as_str()),
        (3, "row_extra_cells")
    );
    assert_eq!(errors[0].column, None);
}

#[test]
fn limits_apply() {
    let too_large = Limits {
        max_bytes: 10,
        max_rows: 10,
    };
    assert_eq!(
        read("姓名,身份证号码\n".as_bytes(), &too_large).unwrap_err(),
        FileError::TooLarge {
            max_bytes: 10,
            found: 23
        }
    );
    let two_rows = Limits {
        max_bytes: 1000,
        max_rows: 2,
    };
    let text = "姓名,身份证号码\n甲,1\n\n乙,2\n";
    assert_eq!(outcome_with(text.as_bytes(), &two_rows).unwrap().len(), 2);
    let text = "姓名,身份证号码\n甲,1\n乙,2\n丙,3\n丁,\"4";
    assert_eq!(
        read(text.as_bytes(), &two_rows).unwrap_err(),
        FileError::TooManyRows {
            max: 2,
            found_at_least: 3
        }
    );
}

#[test]
fn a_hundred_thousand_rows_fit_and_one_more_does_not() {
    let mut text = String::from("姓名,身份证号码,手机号\n");
    for i in 0..100_000 {
        text.push_str(&format!("学员{i},{ID},138{i:08}\n"));
    }
    let table = read(text.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(table.len(), 100_000);
    let last = table.rows().last().unwrap();
    assert_eq!(
        (last.number(), last.get("name"), last.get("mobile")),
        (100_001, "学员99999", "13800099999")
    );
    text.push_str("最后一人,1,2\n");
    text.push_str("之后的行不会被读取,\"");
    assert_eq!(
        read(text.as_bytes(), &Limits::default()).unwrap_err(),
        FileError::TooManyRows {
            max: 100_000,
            found_at_least: 100_001
        }
    );
}

#[test]
fn detects_by_content_only() {
    let cases: [(&[u8], Format); 4] = [
        (b"PK\x03\x04rest", Format::Xlsx),
        (b"PK\x05\x06", Format::Xlsx),
        (b"name,id\n", Format::Csv),
        (b"", Format::Csv),
    ];
    for (bytes, format) in cases {
        assert_eq!(detect(bytes), format, "{bytes:?}");
    }
    let table = Table::read(b"name,id number\nA,1\n", &SCHEMA, &Limits::default()).unwrap();
    assert_eq!(table.format(), Format::Csv);
}

#[test]
fn rows_expose_cells_in_schema_order() {
    let table = read("身份证号码,姓名\n1,张三\n".as_bytes(), &Limits::default()).unwrap();
    let row = table.rows().next().unwrap();
    let cells: Vec<_> = row.cells().collect();
    assert_eq!(
        cells,
        [("name", "张三"), ("id_number", "1"), ("mobile", "")]
    );
    assert_eq!(row.get("no_such_key"), "");
    assert_eq!(table.column_index("id_number"), Some(1));
    assert_eq!(row.get_at(1), "1");
    assert_eq!(row.get_at(99), "");
}

#[test]
fn columns_beyond_excels_limit_are_ignored() {
    let mut text = String::from("姓名,身份证号码");
    text.push_str(&",备注".repeat(20_000));
    text.push_str(",手机号\n张三,1");
    text.push_str(&",x".repeat(20_000));
    text.push_str(",139\n");
    let table = read(text.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(table.ignored_headers().len(), 16_382);
    assert!(!table.has_column("mobile"));
    assert_eq!(dump(&table), ["2:张三|1|"]);
    let codes: Vec<String> = table
        .row_errors(Lang::En)
        .into_iter()
        .map(|e| e.code)
        .collect();
    assert_eq!(codes, ["row_extra_cells"]);
}
