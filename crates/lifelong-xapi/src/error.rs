//! Errors of the xAPI layer: an HTTP status the specification requires, a stable code, the
//! path of the offending property, and a message in the requester's language.

use lifelong_core::{Explain, Lang};

/// The statuses the specification assigns to refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 400: malformed request or invalid data.
    BadRequest,
    /// 401: missing or wrong credentials.
    Unauthorized,
    /// 403: authenticated, but not allowed.
    Forbidden,
    /// 404: no such resource.
    NotFound,
    /// 409: a statement id already used for a different statement, or a document written
    /// without a precondition where one is required.
    Conflict,
    /// 412: `If-Match` / `If-None-Match` not met.
    PreconditionFailed,
    /// 413: body or attachment over the configured limit.
    PayloadTooLarge,
}

impl Status {
    /// The numeric HTTP status.
    pub fn code(self) -> u16 {
        match self {
            Status::BadRequest => 400,
            Status::Unauthorized => 401,
            Status::Forbidden => 403,
            Status::NotFound => 404,
            Status::Conflict => 409,
            Status::PreconditionFailed => 412,
            Status::PayloadTooLarge => 413,
        }
    }
}

/// A refusal: status, stable snake_case code, where in the request it was found, and what was
/// wrong in English and Chinese. `path` is a JSON path such as `statements[3].context.registration`
/// or a parameter/header name; it may be empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} at {path}: {en}")]
pub struct XapiError {
    pub status: Status,
    pub code: &'static str,
    pub path: String,
    pub en: String,
    pub zh: String,
}

impl XapiError {
    /// A refusal with its status, code, path and the two messages.
    pub fn new(
        status: Status,
        code: &'static str,
        path: impl Into<String>,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Self {
        XapiError {
            status,
            code,
            path: path.into(),
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// A 400 for invalid data at `path`.
    pub fn invalid(
        code: &'static str,
        path: impl Into<String>,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Self {
        XapiError::new(Status::BadRequest, code, path, en, zh)
    }

    /// The same error found under `prefix` (e.g. `statements[2]`): the path gains the prefix.
    pub fn under(mut self, prefix: &str) -> Self {
        self.path = if self.path.is_empty() {
            prefix.to_owned()
        } else if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }
}

impl Explain for XapiError {
    fn code(&self) -> &'static str {
        self.code
    }

    fn message(&self, lang: Lang) -> String {
        let text = lang.pick(&self.zh, &self.en);
        if self.path.is_empty() {
            text.to_owned()
        } else {
            match lang {
                Lang::Zh => format!("{}：{text}", self.path),
                Lang::En => format!("{}: {text}", self.path),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_and_messages_follow_the_language() {
        let e = XapiError::invalid("invalid_uuid", "registration", "not a UUID", "不是 UUID")
            .under("context")
            .under("statements[2]");
        assert_eq!(e.path, "statements[2].context.registration");
        assert_eq!(
            e.message(Lang::En),
            "statements[2].context.registration: not a UUID"
        );
        assert_eq!(
            e.message(Lang::Zh),
            "statements[2].context.registration：不是 UUID"
        );
        assert_eq!(e.status.code(), 400);
    }
}
