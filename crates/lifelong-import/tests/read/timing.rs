//! A rough speed check, run by hand: `cargo test --release -p lifelong-import -- --ignored`.

use std::time::Instant;

use lifelong_core::Lang;
use lifelong_import::{template_xlsx, Limits};

use crate::common::{read, SCHEMA};

#[test]
#[ignore = "timing; run in release by hand"]
fn reads_a_hundred_thousand_rows_quickly() {
    let mut text = String::from("姓名,身份证号码,手机号\n");
    for i in 0..100_000 {
        text.push_str(&format!("学员{i},11010519491231{i:04}X,138{i:08}\n"));
    }
    let best = (0..5)
        .map(|_| {
            let start = Instant::now();
            let table = read(text.as_bytes(), &Limits::default()).unwrap();
            assert_eq!(table.len(), 100_000);
            start.elapsed()
        })
        .min()
        .unwrap();
    println!(
        "csv: 100,000 rows x 3 columns ({} bytes) in {best:?}",
        text.len()
    );

    let rows: Vec<[String; 3]> = (0..100_000)
        .map(|i| {
            [
                format!("学员{i}"),
                format!("11010519491231{i:04}X"),
                format!("138{i:08}"),
            ]
        })
        .collect();
    let rows: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let xlsx = template_xlsx(&SCHEMA, Lang::Zh, &rows).unwrap();
    let start = Instant::now();
    let table = read(&xlsx, &Limits::default()).unwrap();
    assert_eq!(table.len(), 100_000);
    println!(
        "xlsx: 100,000 rows x 3 columns ({} bytes) in {:?}",
        xlsx.len(),
        start.elapsed()
    );
}
