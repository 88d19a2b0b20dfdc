//! Property tests: no input makes reading panic, and what a template writes reads back.

use lifelong_core::Lang;
use lifelong_import::{template_csv, template_xlsx, Limits};
use proptest::prelude::*;

use crate::common::{handmade_xlsx, read, SCHEMA};

fn small_limits() -> Limits {
    Limits {
        max_bytes: 1 << 20,
        max_rows: 50,
    }
}

/// A real workbook to damage.
fn workbook() -> Vec<u8> {
    template_xlsx(
        &SCHEMA,
        Lang::Zh,
        &[&["张三", "1", "2"], &["李四", "3", "4"]],
    )
    .unwrap()
}

/// One `<row>` with one cell whose position, type, style and value are odd or out of range.
fn odd_cell() -> impl Strategy<Value = String> {
    let rows = vec!["", "0", "2", "1048576", "4294967295", "4294967296", "x"];
    let positions = vec![
        "",
        "A2",
        "A0",
        "B0",
        "XFE2",
        "A1048577",
        "A4294967296",
        "ZZZZZZ9",
        "2A",
    ];
    let kinds = vec!["", "n", "s", "b", "e", "str", "d", "inlineStr", "zz"];
    let specials = vec![
        "NaN",
        "inf",
        "-inf",
        "1e400",
        "-1e400",
        "1e308",
        "-0",
        "18446744073709551616",
        "#DIV/0!",
    ];
    let value = prop_oneof![
        "[0-9.eE+\\-a-zNA#/:T]{0,24}",
        prop::sample::select(specials).prop_map(str::to_owned),
    ];
    (
        prop::sample::select(rows),
        prop::sample::select(positions),
        prop::sample::select(kinds),
        prop::sample::select(vec!["", "0", "99"]),
        value,
    )
        .prop_map(|(row, position, kind, style, value)| {
            format!(
                "<row{}><c{}{}{}><v>{value}</v></c></row>",
                attr("r", row),
                attr("r", position),
                attr("t", kind),
                attr("s", style)
            )
        })
}

fn attr(name: &str, value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        format!(" {name}=\"{value}\"")
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read(&bytes, &small_limits());
    }

    #[test]
    fn arbitrary_zip_like_bytes_never_panic(
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend(tail);
        let _ = read(&bytes, &small_limits());
    }

    #[test]
    fn damaged_workbooks_never_panic(
        damage in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = workbook();
        for (at, byte) in damage {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        let _ = read(&bytes, &small_limits());
    }

    #[test]
    fn odd_sheet_xml_never_panics(cells in proptest::collection::vec(odd_cell(), 0..12)) {
        let xml: String = cells.concat();
        let _ = read(&handmade_xlsx(&xml), &small_limits());
    }

    #[test]
    fn csv_like_text_never_panics(
        body in "[姓名身份证号码手机,;\t\"\r\n a-zA-Z0-9\u{3000}\u{FEFF}]{0,400}",
        header in prop::sample::select(vec![
            "",
            "姓名,身份证号码\n",
            "姓名\t身份证号码\t手机\r\n",
            "\"姓名\";\"ID number\"\n",
        ]),
    ) {
        let text = format!("{header}{body}");
        let _ = read(text.as_bytes(), &small_limits());
    }

    #[test]
    fn csv_template_rows_read_back(
        rows in proptest::collection::vec(
            proptest::collection::vec("[张三李四a-z0-9 ,;\"\t\r\n]{0,12}", 3),
            0..20,
        ),
    ) {
        let examples: Vec<Vec<&str>> =
            rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
        let examples: Vec<&[&str]> = examples.iter().map(Vec::as_slice).collect();
        let csv = template_csv(&SCHEMA, Lang::En, &examples);
        let table = read(&csv, &Limits::default()).unwrap();
        let expected: Vec<(usize, Vec<&str>)> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r.iter().map(|c| c.trim()).collect::<Vec<_>>()))
            .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
            .collect();
        let got: Vec<(usize, Vec<&str>)> = table
            .rows()
            .map(|r| (r.number(), vec![r.get("name"), r.get("id_number"), r.get("mobile")]))
            .collect();
        prop_assert_eq!(got, expected);
    }
}
