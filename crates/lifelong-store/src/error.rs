//! Errors a store reports, independent of the engine behind it.

/// What went wrong in the store. Web code maps each variant to an HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist (or is not visible to the caller).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule or a state check refused the write; the string is a stable
    /// snake_case code such as `account_exists` or `login_taken`.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The value read back from the database does not parse as the domain type: the data was
    /// changed outside the application or a migration is missing.
    #[error("corrupt data in {what}: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// The database could not be reached or answered with an error.
    #[error("database error: {0}")]
    Backend(String),
}

impl StoreError {
    /// Shorthand for a corrupt-row error.
    pub fn corrupt(what: &'static str, detail: impl ToString) -> Self {
        StoreError::Corrupt {
            what,
            detail: detail.to_string(),
        }
    }
}
