//! `multipart/mixed` bodies of the Statement resource (xAPI-Communication 1.5.2): reading a PUT
//! or POST that carries attachment data, checking the parts against the statements' attachment
//! declarations, and writing the answer to `GET …&attachments=true`.
//!
//! The first part holds the statements (`application/json`); each later part holds the raw
//! octets of one attachment, with `X-Experience-API-Hash` naming its SHA-2 and
//! `Content-Transfer-Encoding: binary`. Parts are matched to declarations by hash only.
//!
//! Leniency, where the specification or the official suite calls for it: header names are
//! case-insensitive, `Name:value` needs no space, a preamble before the first delimiter and an
//! epilogue after the last are ignored, transport padding after a delimiter is allowed, and
//! lines may end in CRLF or a bare LF (the suite's fixture files have been stored both ways).

use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use crate::error::{Status, XapiError};

/// Size limits for one multipart body. Anything over them is a 413.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The whole body, in bytes.
    pub max_body: usize,
    /// One attachment part, in bytes.
    pub max_attachment: usize,
    /// Attachment parts (the statements part not counted).
    pub max_parts: usize,
}

impl Default for Limits {
    /// 64 MiB for the body and for one attachment, 1,000 attachment parts.
    fn default() -> Self {
        Limits {
            max_body: 64 << 20,
            max_attachment: 64 << 20,
            max_parts: 1000,
        }
    }
}

/// One attachment part: its declared hash (lowercase hex), content type and raw octets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The `X-Experience-API-Hash` header, lowercased; the body is checked against it.
    pub sha2: String,
    /// The part's `Content-Type` (`application/octet-stream` when the part gave none).
    pub content_type: String,
    /// The raw octets.
    pub body: Vec<u8>,
}

/// A parsed `multipart/mixed` statement request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Multipart {
    /// The first part: the statement or array of statements, as sent (not yet parsed).
    pub statements: Vec<u8>,
    /// The attachment parts, in the order sent.
    pub parts: Vec<Part>,
}

fn bad(
    code: &'static str,
    path: impl Into<String>,
    en: impl Into<String>,
    zh: impl Into<String>,
) -> XapiError {
    XapiError::invalid(code, path, en, zh)
}

/// The boundary of a `multipart/mixed` request's `Content-Type` (quoted or not).
///
/// Any other media type (including `multipart/form-data`), a missing or empty boundary, or one
/// longer than RFC 2046's 70 characters → 400.
///
/// ```
/// use lifelong_xapi::multipart::boundary;
/// assert_eq!(boundary("multipart/mixed; boundary=abc").unwrap(), "abc");
/// assert_eq!(boundary("Multipart/Mixed; charset=utf-8; Boundary=\"a;b c\"").unwrap(), "a;b c");
/// assert!(boundary("multipart/form-data; boundary=abc").is_err());
/// ```
pub fn boundary(content_type: &str) -> Result<String, XapiError> {
    let (media, params) = content_type.split_once(';').unwrap_or((content_type, ""));
    if !media.trim().eq_ignore_ascii_case("multipart/mixed") {
        return Err(bad(
            "multipart_not_mixed",
            "Content-Type",
            format!("expected multipart/mixed, got {:?}", media.trim()),
            format!("应为 multipart/mixed，实际为 {:?}", media.trim()),
        ));
    }
    let missing = || {
        bad(
            "multipart_boundary_missing",
            "Content-Type",
            "multipart/mixed needs a boundary parameter",
            "multipart/mixed 缺少 boundary 参数",
        )
    };
    let value = media_parameters(params)
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value)
        .ok_or_else(missing)?;
    if value.is_empty() {
        return Err(missing());
    }
    if value.len() > 70 || value.contains(['\r', '\n']) || value.ends_with(' ') {
        return Err(bad(
            "multipart_boundary_invalid",
            "Content-Type",
            "the multipart boundary must be 1 to 70 characters on one line, not ending in a space",
            "multipart 边界须为单行 1 至 70 个字符，且不能以空格结尾",
        ));
    }
    Ok(value)
}

/// `name=value` pairs after a media type; values may be quoted strings with `\` escapes.
fn media_parameters(params: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = params.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ';' || c.is_whitespace()).is_some() {}
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && *c != ';') {
            name.push(c);
        }
        if name.is_empty() && chars.peek().is_none() {
            return out;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            while chars.next_if(|c| *c == ' ' || *c == '\t').is_some() {}
            if chars.next_if_eq(&'"').is_some() {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => value.extend(chars.next()),
                        c => value.push(c),
                    }
                }
                while chars.next_if(|c| *c != ';').is_some() {}
            } else {
                while let Some(c) = chars.next_if(|c| *c != ';') {
                    value.push(c);
                }
                value = value.trim_end().to_owned();
            }
        }
        out.push((name.trim().to_owned(), value));
    }
}

/// Whether a media type (parameters ignored, case-insensitive) is `expected`.
pub(crate) fn media_type_is(content_type: &str, expected: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(expected))
}

/// Position of `needle` in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Where a delimiter line ends: `Some((next, closing))` when `body[at..]` starts with the
/// delimiter and is followed by `--` (closing) or optional padding and a line end.
fn delimiter_at(body: &[u8], at: usize, delimiter: &[u8]) -> Option<(usize, bool)> {
    let rest = body.get(at..)?.strip_prefix(delimiter)?;
    if rest.starts_with(b"--") {
        return Some((body.len(), true));
    }
    let padding = rest
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    let rest = &rest[padding..];
    let eol = if rest.starts_with(b"\r\n") {
        2
    } else if rest.starts_with(b"\n") {
        1
    } else {
        return None;
    };
    Some((body.len() - rest.len() + eol, false))
}

/// The next delimiter at or after `from`: `(end of the part's content, next part's start,
/// closing)`. The line break before the delimiter belongs to the delimiter.
fn next_delimiter(body: &[u8], from: usize, delimiter: &[u8]) -> Option<(usize, usize, bool)> {
    let mut search = from;
    loop {
        let nl = find(body, b"\n", search)?;
        if let Some((next, closing)) = delimiter_at(body, nl + 1, delimiter) {
            let end = if nl > from && body[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            };
            return Some((end.max(from), next, closing));
        }
        search = nl + 1;
    }
}

/// A part's header fields, as (name, value) in order.
type Headers = Vec<(String, String)>;

/// Splits a part into headers and body.
fn split_part(part: &[u8], index: usize) -> Result<(Headers, &[u8]), XapiError> {
    let path = format!("part[{index}]");
    let malformed = || {
        bad(
            "multipart_part_malformed",
            path.clone(),
            "a multipart part needs its headers, an empty line, then its content",
            "multipart 的每一部分须先有头部、一个空行，再是内容",
        )
    };
    let mut headers: Headers = Vec::new();
    let mut at = 0;
    loop {
        let nl = find(part, b"\n", at).ok_or_else(malformed)?;
        let raw = &part[at..nl];
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        at = nl + 1;
        if line.is_empty() {
            return Ok((headers, &part[at..]));
        }
        let line = std::str::from_utf8(line).map_err(|_| malformed())?;
        if line.starts_with([' ', '\t']) {
            let (_, value) = headers.last_mut().ok_or_else(malformed)?;
            value.push(' ');
            value.push_str(line.trim());
            continue;
        }
        let (name, value) = line.split_once(':').ok_or_else(malformed)?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// SHA-2 of `body` in lowercase hex, the variant chosen by the length of `declared`
/// (56, 64, 96 or 128 hex digits for SHA-224/256/384/512); `None` for any other length.
pub fn sha2_hex_like(declared: &str, body: &[u8]) -> Option<String> {
    let digest = match declared.len() {
        56 => Sha224::digest(body).to_vec(),
        64 => Sha256::digest(body).to_vec(),
        96 => Sha384::digest(body).to_vec(),
        128 => Sha512::digest(body).to_vec(),
        _ => return None,
    };
    Some(hex(&digest))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

fn too_large(path: impl Into<String>, en: String, zh: String) -> XapiError {
    XapiError::new(Status::PayloadTooLarge, "multipart_too_large", path, en, zh)
}

/// Reads a `multipart/mixed` statement body delimited by `boundary` (see [`boundary`]).
///
/// Refusals: over `limits` → 413; no delimiter, no closing delimiter, a malformed part, a
/// first part that is not `application/json`, an attachment part without
/// `X-Experience-API-Hash` or without `Content-Transfer-Encoding: binary`, a hash that is not
/// SHA-2 hex, or a body whose SHA-2 differs from its declared hash → 400.
pub fn parse(body: &[u8], boundary: &str, limits: &Limits) -> Result<Multipart, XapiError> {
    if body.len() > limits.max_body {
        return Err(too_large(
            "",
            format!(
                "the request body is over the limit of {} bytes",
                limits.max_body
            ),
            format!("请求体超过 {} 字节的上限", limits.max_body),
        ));
    }
    let delimiter = [b"--".as_slice(), boundary.as_bytes()].concat();
    let no_delimiter = || {
        bad(
            "multipart_boundary_absent",
            "",
            "the body does not start with the boundary given in Content-Type",
            "请求体中找不到 Content-Type 所给的边界",
        )
    };
    // The first delimiter opens the body or follows a preamble line.
    let (mut start, mut closing) = match delimiter_at(body, 0, &delimiter) {
        Some(found) => found,
        None => next_delimiter(body, 0, &delimiter)
            .map(|(_, next, c)| (next, c))
            .ok_or_else(no_delimiter)?,
    };
    let mut raw_parts: Vec<&[u8]> = Vec::new();
    while !closing {
        let (end, next, is_closing) = next_delimiter(body, start, &delimiter).ok_or_else(|| {
            bad(
                "multipart_unterminated",
                "",
                "the multipart body has no closing boundary",
                "multipart 请求体缺少结束边界",
            )
        })?;
        raw_parts.push(&body[start..end]);
        if raw_parts.len() > limits.max_parts.saturating_add(1) {
            return Err(too_large(
                "",
                format!("more than {} attachment parts", limits.max_parts),
                format!("附件部分超过 {} 个", limits.max_parts),
            ));
        }
        start = next;
        closing = is_closing;
    }
    let mut raw_parts = raw_parts.into_iter().enumerate();
    let Some((_, first)) = raw_parts.next() else {
        return Err(bad(
            "multipart_empty",
            "",
            "the multipart body has no parts; the first must hold the statements",
            "multipart 请求体没有任何部分；第一部分应为语句",
        ));
    };
    let (headers, statements) = split_part(first, 0)?;
    if !header(&headers, "Content-Type").is_some_and(|ct| media_type_is(ct, "application/json")) {
        return Err(bad(
            "multipart_first_not_json",
            "part[0].Content-Type",
            "the first part must hold the statements with Content-Type application/json",
            "第一部分须为语句，Content-Type 须为 application/json",
        ));
    }
    let mut parts = Vec::new();
    for (index, raw) in raw_parts {
        let path = format!("part[{index}]");
        let (headers, content) = split_part(raw, index)?;
        let declared = header(&headers, "X-Experience-API-Hash").ok_or_else(|| {
            bad(
                "attachment_hash_header_missing",
                format!("{path}.X-Experience-API-Hash"),
                "each attachment part needs an X-Experience-API-Hash header",
                "每个附件部分都须有 X-Experience-API-Hash 头",
            )
        })?;
        if !header(&headers, "Content-Transfer-Encoding")
            .is_some_and(|e| e.eq_ignore_ascii_case("binary"))
        {
            return Err(bad(
                "attachment_encoding_not_binary",
                format!("{path}.Content-Transfer-Encoding"),
                "each attachment part needs Content-Transfer-Encoding: binary",
                "每个附件部分都须有 Content-Transfer-Encoding: binary",
            ));
        }
        if content.len() > limits.max_attachment {
            return Err(too_large(
                path,
                format!(
                    "an attachment is over the limit of {} bytes",
                    limits.max_attachment
                ),
                format!("附件超过 {} 字节的上限", limits.max_attachment),
            ));
        }
        let declared = declared.to_ascii_lowercase();
        let actual = sha2_hex_like(&declared, content)
            .filter(|_| declared.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                bad(
                    "attachment_hash_invalid",
                    format!("{path}.X-Experience-API-Hash"),
                    "X-Experience-API-Hash must be a SHA-224/256/384/512 digest in hex",
                    "X-Experience-API-Hash 须为十六进制的 SHA-224/256/384/512 摘要",
                )
            })?;
        if actual != declared {
            return Err(bad(
                "attachment_hash_mismatch",
                format!("{path}.X-Experience-API-Hash"),
                format!("the attachment's SHA-2 is {actual}, not the declared {declared}"),
                format!("附件的 SHA-2 为 {actual}，与声明的 {declared} 不符"),
            ));
        }
        let content_type = header(&headers, "Content-Type")
            .unwrap_or("application/octet-stream")
            .to_owned();
        parts.push(Part {
            sha2: declared,
            content_type,
            body: content.to_vec(),
        });
    }
    Ok(Multipart {
        statements: statements.to_vec(),
        parts,
    })
}

/// Checks the statements' attachment declarations against the parts received: every declared
/// attachment without a `fileUrl` needs a part with its `sha2`, and every part must match some
/// declared `sha2` (xAPI-Communication 1.5.2.s3.b5). Hashes compare case-insensitively.
///
/// `declared` is `(sha2, fileUrl)` for every attachment of every statement in the request. A
/// plain `application/json` request is checked with no parts at all.
pub fn match_attachments(
    declared: &[(String, Option<String>)],
    parts: &[Part],
) -> Result<(), XapiError> {
    for (index, (sha2, file_url)) in declared.iter().enumerate() {
        if file_url.is_none() && !parts.iter().any(|p| p.sha2.eq_ignore_ascii_case(sha2)) {
            return Err(bad(
                "attachment_data_missing",
                format!("attachments[{index}]"),
                format!("attachment {sha2} has no fileUrl and no multipart part with its data"),
                format!("附件 {sha2} 既没有 fileUrl，也没有携带其数据的 multipart 部分"),
            ));
        }
    }
    for (index, part) in parts.iter().enumerate() {
        if !declared
            .iter()
            .any(|(sha2, _)| sha2.eq_ignore_ascii_case(&part.sha2))
        {
            return Err(bad(
                "attachment_part_undeclared",
                format!("part[{}]", index + 1),
                format!(
                    "part with hash {} matches no attachment of the statements",
                    part.sha2
                ),
                format!("哈希为 {} 的部分与语句中的任何附件都不对应", part.sha2),
            ));
        }
    }
    Ok(())
}

/// A boundary derived from `seed` whose delimiter occurs in none of `contents`: the first of
/// `xapi-` + 40 hex digits of SHA-256(seed ‖ round) for round = 0, 1, … that does not clash.
fn choose_boundary(seed: &[u8], contents: &[&[u8]]) -> String {
    let mut round: u64 = 0;
    loop {
        let digest = Sha256::new()
            .chain_update(seed)
            .chain_update(round.to_be_bytes())
            .finalize();
        let candidate = format!("xapi-{}", &hex(&digest)[..40]);
        let delimiter = format!("--{candidate}");
        if !contents
            .iter()
            .any(|c| find(c, delimiter.as_bytes(), 0).is_some())
        {
            return candidate;
        }
        round += 1;
    }
}

/// Writes a `multipart/mixed` answer: the statements JSON first, then each attachment
/// `(sha2, content type, body)`. Returns the `Content-Type` header (with its boundary) and
/// the body.
///
/// The boundary is derived from a hash of the content, so the same answer is always written
/// the same way, and re-derived until it occurs in none of the parts.
pub fn write(statements_json: &[u8], parts: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let mut seed = Sha256::new();
    seed.update((statements_json.len() as u64).to_be_bytes());
    seed.update(statements_json);
    for (sha2, content_type, body) in parts {
        seed.update(sha2.as_bytes());
        seed.update(content_type.as_bytes());
        seed.update((body.len() as u64).to_be_bytes());
        seed.update(body);
    }
    let seed = seed.finalize();
    let contents: Vec<&[u8]> = std::iter::once(statements_json)
        .chain(parts.iter().map(|(_, _, b)| *b))
        .collect();
    let boundary = choose_boundary(&seed, &contents);
    let one_line = |s: &str| s.replace(['\r', '\n'], " ");
    let size =
        statements_json.len() + parts.iter().map(|(_, _, b)| b.len() + 200).sum::<usize>() + 200;
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(
        format!("--{boundary}\r\nContent-Type: application/json\r\n\r\n").as_bytes(),
    );
    out.extend_from_slice(statements_json);
    for (sha2, content_type, body) in parts {
        out.extend_from_slice(
            format!(
                "\r\n--{boundary}\r\nContent-Type: {}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {}\r\n\r\n",
                one_line(content_type),
                one_line(sha2),
            )
            .as_bytes(),
        );
        out.extend_from_slice(body);
    }
    out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/mixed; boundary={boundary}"), out)
}

#[cfg(test)]
#[path = "multipart_tests.rs"]
mod tests;
