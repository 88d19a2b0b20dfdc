//! Typed identifiers. Each is a UUIDv7 (time-ordered, so new rows append to indexes and
//! cursors sort by creation), kept as its canonical text.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new, time-ordered identifier.
            pub fn new() -> Self {
                $name(uuid::Uuid::now_v7().to_string())
            }
            /// Parses the canonical text form; `None` when it is not a UUID.
            pub fn parse(text: &str) -> Option<Self> {
                uuid::Uuid::parse_str(text.trim()).ok().map(|u| $name(u.to_string()))
            }
            /// Wraps text read from the database without re-checking it.
            pub fn from_db(text: String) -> Self {
                $name(text)
            }
            /// The canonical text form.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }
    };
}

id_type!(
    /// A learning account (个人学习账户).
    AccountId
);
id_type!(
    /// An institution.
    InstitutionId
);
id_type!(
    /// A user who signs in.
    UserId
);
id_type!(
    /// An institution's API token.
    TokenId
);
id_type!(
    /// A consent record.
    ConsentId
);
id_type!(
    /// A bulk upload of accounts.
    UploadId
);
id_type!(
    /// A learning outcome deposited or applied for.
    OutcomeId
);
id_type!(
    /// An entry of a learner's archive.
    EntryId
);
id_type!(
    /// A piece of evidence attached to an application.
    EvidenceId
);
id_type!(
    /// A recognition (and its certificate).
    RecognitionId
);
id_type!(
    /// A conversion application.
    ApplicationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_ordered_and_parse_back() {
        let a = AccountId::new();
        let b = AccountId::new();
        assert!(a < b);
        assert_eq!(AccountId::parse(a.as_str()), Some(a.clone()));
        assert_eq!(AccountId::parse("not-a-uuid"), None);
    }
}
