//! Templates read back against the schema they were made for.

use lifelong_core::Lang;
use lifelong_import::{template_csv, template_xlsx, Format, Limits};

use crate::common::{dump, read};

const EXAMPLES: &[&[&str]] = &[
    &["张三", "11010519491231002X", "13800000000"],
    &["李, \"四\"", "110105194912310021"],
    &["王五", "1", "2", "ignored beyond the schema"],
];

const EXPECTED: [&str; 3] = [
    "2:张三|11010519491231002X|13800000000",
    "3:李, \"四\"|110105194912310021|",
    "4:王五|1|2",
];

#[test]
fn templates_read_back_in_both_languages() {
    for lang in [Lang::Zh, Lang::En] {
        let csv = template_csv(&crate::common::SCHEMA, lang, EXAMPLES);
        assert!(csv.starts_with(b"\xEF\xBB\xBF"), "{lang:?}");
        let table = read(&csv, &Limits::default()).unwrap();
        assert_eq!(table.format(), Format::Csv);
        assert_eq!(dump(&table), EXPECTED, "csv {lang:?}");
        assert!(table.ignored_headers().is_empty());

        let xlsx = template_xlsx(&crate::common::SCHEMA, lang, EXAMPLES).unwrap();
        let table = read(&xlsx, &Limits::default()).unwrap();
        assert_eq!(table.format(), Format::Xlsx);
        assert_eq!(dump(&table), EXPECTED, "xlsx {lang:?}");
        assert!(table.row_errors(lang).is_empty());
    }
}

#[test]
fn templates_without_examples_are_header_only() {
    let csv = template_csv(&crate::common::SCHEMA, Lang::Zh, &[]);
    assert_eq!(csv, "\u{FEFF}姓名,身份证号码,手机号\r\n".as_bytes());
    let xlsx = template_xlsx(&crate::common::SCHEMA, Lang::En, &[]).unwrap();
    let table = read(&xlsx, &Limits::default()).unwrap();
    assert!(table.is_empty());
    assert!(table.has_column("mobile"));
}
