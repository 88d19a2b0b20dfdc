//! Which xAPI version a request speaks, from its `X-Experience-API-Version` header.
//!
//! Accepted: `1.0`, `1.0.N` (answered as 1.0.3) and `2.0`, `2.0.N` (answered as 2.0.0), with an
//! optional semantic-version suffix (`-rc.1`, `+build`). Behaviour differs per request, never per
//! server: each method that differs takes a `Version`.

use crate::error::{Status, XapiError};

/// The two families of xAPI a request may speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Version {
    /// xAPI 1.0.0 – 1.0.3.
    V1,
    /// xAPI 2.0 (IEEE 9274.1.1).
    V2,
}

impl Version {
    /// The versions `/about` lists.
    pub const SUPPORTED: [&'static str; 2] = ["1.0.3", "2.0.0"];

    /// Parses a request's version header. Missing or unsupported → 400.
    pub fn from_header(value: Option<&str>) -> Result<Version, XapiError> {
        let Some(raw) = value else {
            return Err(XapiError::new(
                Status::BadRequest,
                "version_missing",
                "X-Experience-API-Version",
                "the X-Experience-API-Version header is required",
                "缺少 X-Experience-API-Version 请求头",
            ));
        };
        Version::parse(raw.trim()).ok_or_else(|| {
            XapiError::new(
                Status::BadRequest,
                "version_unsupported",
                "X-Experience-API-Version",
                format!("unsupported xAPI version {raw:?}; this LRS speaks 1.0.x and 2.0.x"),
                format!("不支持的 xAPI 版本 {raw:?}；本系统支持 1.0.x 与 2.0.x"),
            )
        })
    }

    /// Parses `1.0`, `1.0.N`, `2.0`, `2.0.N` with an optional `-pre`/`+build` suffix.
    pub fn parse(raw: &str) -> Option<Version> {
        let core = raw.split(['-', '+']).next().unwrap_or(raw);
        if core.len() != raw.len() && raw[core.len()..].len() < 2 {
            return None;
        }
        let mut parts = core.split('.');
        let major = parts.next()?;
        let minor = parts.next()?;
        let patch = parts.next();
        if parts.next().is_some() || minor != "0" {
            return None;
        }
        if let Some(patch) = patch {
            if patch.is_empty() || !patch.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            if patch.len() > 1 && patch.starts_with('0') {
                return None;
            }
        }
        match major {
            "1" => Some(Version::V1),
            "2" => Some(Version::V2),
            _ => None,
        }
    }

    /// What the response's `X-Experience-API-Version` header says: the latest patch.
    pub fn header(self) -> &'static str {
        match self {
            Version::V1 => "1.0.3",
            Version::V2 => "2.0.0",
        }
    }

    /// The statement `version` property set when a statement arrives without one.
    pub fn statement_default(self) -> &'static str {
        match self {
            Version::V1 => "1.0.0",
            Version::V2 => "2.0.0",
        }
    }

    /// Whether this is xAPI 2.0.
    pub fn is_v2(self) -> bool {
        self == Version::V2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_headers() {
        for ok in ["1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.9"] {
            assert_eq!(Version::parse(ok), Some(Version::V1), "{ok}");
        }
        for ok in ["2.0", "2.0.0", "2.0.1", "2.0.0-rc.1"] {
            assert_eq!(Version::parse(ok), Some(Version::V2), "{ok}");
        }
    }

    #[test]
    fn refused_headers() {
        for bad in [
            "", "1", "0.9", "0.95", "1.1.0", "1.0.", "1.0.x", "3.0.0", "1.0.3.1", "2.0.01", "1.0-",
        ] {
            assert_eq!(Version::parse(bad), None, "{bad:?}");
        }
        let missing = Version::from_header(None).unwrap_err();
        assert_eq!(
            (missing.status, missing.code),
            (Status::BadRequest, "version_missing")
        );
        let wrong = Version::from_header(Some("1.1.0")).unwrap_err();
        assert_eq!(wrong.code, "version_unsupported");
    }

    #[test]
    fn answers_with_the_latest_patch() {
        assert_eq!(Version::V1.header(), "1.0.3");
        assert_eq!(Version::V2.header(), "2.0.0");
        assert_eq!(Version::V1.statement_default(), "1.0.0");
    }
}
