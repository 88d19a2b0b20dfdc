use proptest::prelude::*;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::*;

const B: &str = "-------314159265358979323846";
const TEXT: &[u8] = b"here is a simple attachment";
const TEXT_SHA: &str = "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a";
const STATEMENT: &str = r#"{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://adlnet.gov/expapi/verbs/answered"},"object":{"id":"http://example.com/a"},"attachments":[{"usageType":"http://example.com/u","display":{"en-US":"t"},"contentType":"text/plain","length":27,"sha2":"495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"}]}"#;

fn limits() -> Limits {
    Limits::default()
}

/// A body in the shape of the suite's fixtures, with the given line ending.
fn body(eol: &str, attachment_headers: &[&str], attachment: &[u8]) -> Vec<u8> {
    let mut out =
        format!("--{B}{eol}Content-Type: application/json{eol}{eol}{STATEMENT}{eol}--{B}{eol}")
            .into_bytes();
    for h in attachment_headers {
        out.extend_from_slice(format!("{h}{eol}").as_bytes());
    }
    out.extend_from_slice(eol.as_bytes());
    out.extend_from_slice(attachment);
    out.extend_from_slice(format!("{eol}--{B}--{eol}").as_bytes());
    out
}

fn good_headers() -> Vec<String> {
    vec![
        "Content-Disposition: attachment; filename=\"text_data.txt\"".to_owned(),
        "Content-Type: text/plain".to_owned(),
        "Content-Transfer-Encoding: binary".to_owned(),
        format!("X-Experience-API-Hash: {TEXT_SHA}"),
    ]
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn the_spec_hash_of_the_sample_text_is_what_we_compute() {
    assert_eq!(sha2_hex_like(TEXT_SHA, TEXT).as_deref(), Some(TEXT_SHA));
    assert_eq!(sha2_hex_like("abc", TEXT), None);
}

#[test]
fn xapi_00131_boundary_comes_from_the_content_type() {
    assert_eq!(
        boundary(&format!("multipart/mixed; boundary={B}")).unwrap(),
        B
    );
    assert_eq!(
        boundary("multipart/mixed; boundary=\"abcABC0123'()+_,-./:=?\"").unwrap(),
        "abcABC0123'()+_,-./:=?"
    );
    assert_eq!(
        boundary("MULTIPART/MIXED;BOUNDARY=x1 ; charset=utf-8").unwrap(),
        "x1"
    );
    assert_eq!(
        boundary("multipart/mixed; a=\"q;\\\"x\"; boundary=\"z\\\"z\"").unwrap(),
        "z\"z"
    );
    for (ct, code) in [
        ("multipart/mixed;", "multipart_boundary_missing"),
        ("multipart/mixed; boundary=", "multipart_boundary_missing"),
        (
            "multipart/mixed; boundary=\"\"",
            "multipart_boundary_missing",
        ),
        ("multipart/form-data; boundary=abc", "multipart_not_mixed"),
        ("application/json", "multipart_not_mixed"),
    ] {
        let e = boundary(ct).unwrap_err();
        assert_eq!((e.status, e.code), (Status::BadRequest, code), "{ct}");
    }
    let long = format!("multipart/mixed; boundary={}", "a".repeat(71));
    assert_eq!(
        boundary(&long).unwrap_err().code,
        "multipart_boundary_invalid"
    );
}

#[test]
fn parses_the_suite_fixture_shape_with_crlf_and_with_bare_lf() {
    for eol in ["\r\n", "\n"] {
        let m = parse(&body(eol, &refs(&good_headers()), TEXT), B, &limits()).unwrap();
        assert_eq!(m.statements, STATEMENT.as_bytes(), "{eol:?}");
        assert_eq!(m.parts.len(), 1);
        assert_eq!(
            m.parts[0],
            Part {
                sha2: TEXT_SHA.to_owned(),
                content_type: "text/plain".to_owned(),
                body: TEXT.to_vec()
            }
        );
    }
}

#[test]
fn parses_the_signed_statement_shape_preamble_no_spaces_no_final_newline() {
    // As the suite's signStatement helper builds it: a CRLF preamble, `Name:value` headers and
    // nothing after the closing delimiter.
    let sig = b"aaa.bbb.ccc";
    let sha = format!("{:x}", Sha256::digest(sig));
    let mut raw =
        format!("\r\n--{B}\r\nContent-Type:application/json\r\n\r\n{STATEMENT}").into_bytes();
    raw.extend_from_slice(
        format!("\r\n--{B}\r\nContent-Type:application/octet-stream\r\nContent-Transfer-Encoding:binary\r\nX-Experience-API-Hash:{sha}\r\n\r\n")
            .as_bytes(),
    );
    raw.extend_from_slice(sig);
    raw.extend_from_slice(format!("\r\n--{B}--").as_bytes());
    let m = parse(&raw, B, &limits()).unwrap();
    assert_eq!(m.statements, STATEMENT.as_bytes());
    assert_eq!(m.parts[0].body, sig);
    assert_eq!(m.parts[0].content_type, "application/octet-stream");
}

#[test]
fn header_names_are_case_insensitive_and_folded_lines_join() {
    let headers = [
        "content-type: text/plain;".to_owned(),
        "  charset=ascii".to_owned(),
        "CONTENT-TRANSFER-ENCODING: BINARY".to_owned(),
        format!("x-experience-api-hash: {}", TEXT_SHA.to_uppercase()),
    ];
    let m = parse(&body("\r\n", &refs(&headers), TEXT), B, &limits()).unwrap();
    assert_eq!(m.parts[0].content_type, "text/plain; charset=ascii");
    assert_eq!(m.parts[0].sha2, TEXT_SHA, "hash normalised to lowercase");
}

#[test]
fn binary_bodies_survive_including_crlf_and_boundary_lookalikes() {
    let data: Vec<u8> = [
        b"\r\n--".as_slice(),
        B.as_bytes(),
        b"X\r\n\x00\xff\r\n".as_slice(),
    ]
    .concat();
    let sha = format!("{:x}", Sha256::digest(&data));
    let headers = [
        "Content-Type: application/octet-stream".to_owned(),
        "Content-Transfer-Encoding: binary".to_owned(),
        format!("X-Experience-API-Hash: {sha}"),
    ];
    let m = parse(&body("\r\n", &refs(&headers), &data), B, &limits()).unwrap();
    assert_eq!(m.parts[0].body, data);
}

#[test]
fn sha384_and_sha512_hashes_are_accepted() {
    for sha in [
        format!("{:x}", Sha384::digest(TEXT)),
        format!("{:x}", Sha512::digest(TEXT)),
    ] {
        let headers = [
            "Content-Type: text/plain".to_owned(),
            "Content-Transfer-Encoding: binary".to_owned(),
            format!("X-Experience-API-Hash: {sha}"),
        ];
        let m = parse(&body("\r\n", &refs(&headers), TEXT), B, &limits()).unwrap();
        assert_eq!(m.parts[0].sha2, sha);
    }
}

fn refused(raw: &[u8]) -> XapiError {
    parse(raw, B, &limits()).unwrap_err()
}

#[test]
fn xapi_00134_first_part_must_be_json() {
    let raw = body("\r\n", &refs(&good_headers()), TEXT);
    let raw = String::from_utf8(raw)
        .unwrap()
        .replacen("application/json", "text/plain", 1);
    let e = refused(raw.as_bytes());
    assert_eq!(
        (e.status, e.code, e.path.as_str()),
        (
            Status::BadRequest,
            "multipart_first_not_json",
            "part[0].Content-Type"
        )
    );
    let no_type = format!("--{B}\r\n\r\n{STATEMENT}\r\n--{B}--\r\n");
    assert_eq!(refused(no_type.as_bytes()).code, "multipart_first_not_json");
}

#[test]
fn xapi_00130_body_without_the_boundary_is_refused() {
    let raw = format!("Content-Type: application/json\r\n\r\n{STATEMENT}\r\n--other--\r\n");
    assert_eq!(refused(raw.as_bytes()).code, "multipart_boundary_absent");
    assert_eq!(refused(b"").code, "multipart_boundary_absent");
}

#[test]
fn a_body_without_its_closing_delimiter_is_refused() {
    let raw = format!("--{B}\r\nContent-Type: application/json\r\n\r\n{STATEMENT}\r\n");
    assert_eq!(refused(raw.as_bytes()).code, "multipart_unterminated");
}

#[test]
fn a_part_without_the_blank_line_is_refused() {
    let raw = format!("--{B}\r\nContent-Type: application/json\r\n--{B}--");
    assert_eq!(refused(raw.as_bytes()).code, "multipart_part_malformed");
}

#[test]
fn an_empty_multipart_is_refused() {
    assert_eq!(
        refused(format!("--{B}--\r\n").as_bytes()).code,
        "multipart_empty"
    );
}

#[test]
fn xapi_00132_attachment_parts_need_the_hash_header() {
    let headers = [
        "Content-Type: text/plain",
        "Content-Transfer-Encoding: binary",
    ];
    let e = refused(&body("\r\n", &headers, TEXT));
    assert_eq!(
        (e.code, e.path.as_str()),
        (
            "attachment_hash_header_missing",
            "part[1].X-Experience-API-Hash"
        )
    );
}

#[test]
fn xapi_00133_statements_split_over_two_json_parts_are_refused() {
    // The suite's fixture: a second application/json part instead of an attachment.
    let mut raw = format!("--{B}\r\nContent-Type: application/json\r\n\r\n{STATEMENT}\r\n--{B}\r\nContent-Type: application/json\r\n\r\n{{}}\r\n--{B}\r\n").into_bytes();
    raw.extend_from_slice(refs(&good_headers()).join("\r\n").as_bytes());
    raw.extend_from_slice(b"\r\n\r\n");
    raw.extend_from_slice(TEXT);
    raw.extend_from_slice(format!("\r\n--{B}--").as_bytes());
    assert_eq!(refused(&raw).code, "attachment_hash_header_missing");
}

#[test]
fn xapi_00135_attachment_parts_need_binary_transfer_encoding() {
    let sha = format!("X-Experience-API-Hash: {TEXT_SHA}");
    for headers in [
        vec!["Content-Type: text/plain", sha.as_str()],
        vec![
            "Content-Type: text/plain",
            "Content-Transfer-Encoding: base64",
            sha.as_str(),
        ],
    ] {
        let e = refused(&body("\r\n", &headers, TEXT));
        assert_eq!(
            (e.status, e.code),
            (Status::BadRequest, "attachment_encoding_not_binary")
        );
    }
}

#[test]
fn a_body_that_does_not_match_its_hash_is_refused() {
    let e = refused(&body(
        "\r\n",
        &refs(&good_headers()),
        b"here is a simple attachmenT",
    ));
    assert_eq!(
        (e.status, e.code),
        (Status::BadRequest, "attachment_hash_mismatch")
    );
    let headers = [
        "Content-Type: text/plain",
        "Content-Transfer-Encoding: binary",
        "X-Experience-API-Hash: 1234",
    ];
    assert_eq!(
        refused(&body("\r\n", &headers, TEXT)).code,
        "attachment_hash_invalid"
    );
    let not_hex = format!("X-Experience-API-Hash: {}", "z".repeat(64));
    let headers = [
        "Content-Type: text/plain",
        "Content-Transfer-Encoding: binary",
        not_hex.as_str(),
    ];
    assert_eq!(
        refused(&body("\r\n", &headers, TEXT)).code,
        "attachment_hash_invalid"
    );
}

#[test]
fn limits_answer_413() {
    let raw = body("\r\n", &refs(&good_headers()), TEXT);
    let small_body = Limits {
        max_body: raw.len() - 1,
        ..Limits::default()
    };
    let e = parse(&raw, B, &small_body).unwrap_err();
    assert_eq!(
        (e.status, e.status.code(), e.code),
        (Status::PayloadTooLarge, 413, "multipart_too_large")
    );
    let small_part = Limits {
        max_attachment: TEXT.len() - 1,
        ..Limits::default()
    };
    assert_eq!(
        parse(&raw, B, &small_part).unwrap_err().status,
        Status::PayloadTooLarge
    );
    assert!(parse(
        &raw,
        B,
        &Limits {
            max_attachment: TEXT.len(),
            ..Limits::default()
        }
    )
    .is_ok());
    let no_parts = Limits {
        max_parts: 0,
        ..Limits::default()
    };
    assert_eq!(
        parse(&raw, B, &no_parts).unwrap_err().status,
        Status::PayloadTooLarge
    );
}

fn part(sha2: &str) -> Part {
    Part {
        sha2: sha2.to_owned(),
        content_type: "text/plain".to_owned(),
        body: Vec::new(),
    }
}

#[test]
fn xapi_00129_declared_attachments_without_file_url_need_a_part() {
    let declared = vec![(TEXT_SHA.to_owned(), None)];
    let e = match_attachments(&declared, &[]).unwrap_err();
    assert_eq!(
        (e.status, e.code, e.path.as_str()),
        (
            Status::BadRequest,
            "attachment_data_missing",
            "attachments[0]"
        )
    );
    assert!(match_attachments(&declared, &[part(TEXT_SHA)]).is_ok());
    let upper = vec![(TEXT_SHA.to_uppercase(), None)];
    assert!(
        match_attachments(&upper, &[part(TEXT_SHA)]).is_ok(),
        "hashes compare case-insensitively"
    );
    let with_url = vec![(
        TEXT_SHA.to_owned(),
        Some("http://over.there.com/file.txt".to_owned()),
    )];
    assert!(match_attachments(&with_url, &[]).is_ok());
    assert!(
        match_attachments(&with_url, &[part(TEXT_SHA)]).is_ok(),
        "data may come along with a fileUrl"
    );
}

#[test]
fn xapi_00128_parts_matching_no_declaration_are_refused() {
    let declared = vec![(TEXT_SHA.to_owned(), None)];
    let e = match_attachments(&declared, &[part(TEXT_SHA), part(&"0".repeat(64))]).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        ("attachment_part_undeclared", "part[2]")
    );
    assert_eq!(
        match_attachments(&[], &[part(TEXT_SHA)]).unwrap_err().code,
        "attachment_part_undeclared"
    );
}

#[test]
fn written_answers_parse_back_and_are_deterministic() {
    let json = br#"{"statements":[],"more":""}"#;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00";
    let png_sha = format!("{:x}", Sha256::digest(png));
    let parts = [
        (TEXT_SHA, "text/plain", TEXT),
        (png_sha.as_str(), "image/png", png),
    ];
    let (ct, raw) = write(json, &parts);
    let b = boundary(&ct).unwrap();
    assert!(b.starts_with("xapi-") && b.len() == 45, "{b}");
    let m = parse(&raw, &b, &limits()).unwrap();
    assert_eq!(m.statements, json);
    assert_eq!(m.parts.len(), 2);
    assert_eq!(
        (
            m.parts[1].sha2.as_str(),
            m.parts[1].content_type.as_str(),
            m.parts[1].body.as_slice()
        ),
        (png_sha.as_str(), "image/png", png)
    );
    assert_eq!(
        write(json, &parts),
        (ct.clone(), raw.clone()),
        "same content, same bytes"
    );
    let (other, _) = write(json, &parts[..1]);
    assert_ne!(other, ct, "the boundary follows the content");
    let (_, none) = write(json, &[]);
    assert_eq!(
        parse(&none, &boundary(&write(json, &[]).0).unwrap(), &limits())
            .unwrap()
            .parts,
        vec![]
    );
}

#[test]
fn written_header_values_stay_on_one_line() {
    let (ct, raw) = write(b"{}", &[(TEXT_SHA, "text/plain\r\nX-Evil: 1", TEXT)]);
    let m = parse(&raw, &boundary(&ct).unwrap(), &limits()).unwrap();
    assert_eq!(m.parts[0].content_type, "text/plain  X-Evil: 1");
}

#[test]
fn the_boundary_is_rederived_when_the_content_contains_it() {
    let seed = [7u8; 32];
    let first = choose_boundary(&seed, &[]);
    let trap = format!("x\r\n--{first}\r\n");
    let second = choose_boundary(&seed, &[trap.as_bytes()]);
    assert_ne!(first, second);
    assert!(!trap.contains(&second));
}

proptest! {
    #[test]
    fn any_attachments_round_trip(
        json in "[ -~]{0,64}",
        bodies in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..4),
    ) {
        let shas: Vec<String> = bodies.iter().map(|b| format!("{:x}", Sha256::digest(b))).collect();
        let parts: Vec<(&str, &str, &[u8])> =
            bodies.iter().zip(&shas).map(|(b, s)| (s.as_str(), "application/octet-stream", b.as_slice())).collect();
        let (ct, raw) = write(json.as_bytes(), &parts);
        let m = parse(&raw, &boundary(&ct).unwrap(), &limits()).unwrap();
        prop_assert_eq!(m.statements, json.as_bytes());
        prop_assert_eq!(m.parts.iter().map(|p| p.body.clone()).collect::<Vec<_>>(), bodies);
        let declared: Vec<(String, Option<String>)> = shas.iter().map(|s| (s.clone(), None)).collect();
        prop_assert!(match_attachments(&declared, &m.parts).is_ok());
    }
}
