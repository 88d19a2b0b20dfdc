//! Filter keys: the 64-bit numbers under which the store indexes a statement's agents,
//! activities, verb and registration. A key is the first 8 bytes of SHA-256 over a tag and the
//! value, so the same value always gives the same key and no table of names is needed.
//! Two different values share a key with probability about n²/2⁶⁵ (n distinct values): for ten
//! million agents, about one in 370,000 over the life of the database, and then a query for one
//! would also return the other's statements.

use sha2::{Digest, Sha256};

/// What a key stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// An agent as actor or object (the plain `agent` filter).
    Agent,
    /// An agent anywhere (`related_agents=true`).
    RelatedAgent,
    /// The object activity (the plain `activity` filter).
    Activity,
    /// An activity anywhere (`related_activities=true`).
    RelatedActivity,
    Verb,
    Registration,
}

impl KeyKind {
    fn tag(self) -> &'static [u8] {
        match self {
            KeyKind::Agent => b"a:",
            KeyKind::RelatedAgent => b"A:",
            KeyKind::Activity => b"o:",
            KeyKind::RelatedActivity => b"O:",
            KeyKind::Verb => b"v:",
            KeyKind::Registration => b"r:",
        }
    }
}

/// The key of `value` as `kind`.
pub fn filter_key(kind: KeyKind, value: &str) -> i64 {
    let mut hasher = Sha256::new();
    hasher.update(kind.tag());
    hasher.update(value.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// Every key of a prepared statement: plain agents and activities get both their plain and
/// their related key.
pub(crate) fn statement_keys(p: &lifelong_xapi::Prepared) -> Vec<i64> {
    let mut keys = Vec::with_capacity(2 + 2 * (p.agents.len() + p.activities.len()));
    keys.push(filter_key(KeyKind::Verb, &p.verb));
    if let Some(r) = p.registration {
        keys.push(filter_key(KeyKind::Registration, &r.to_string()));
    }
    for (agent, plain) in &p.agents {
        if *plain {
            keys.push(filter_key(KeyKind::Agent, agent));
        }
        keys.push(filter_key(KeyKind::RelatedAgent, agent));
    }
    for (activity, plain) in &p.activities {
        if *plain {
            keys.push(filter_key(KeyKind::Activity, activity));
        }
        keys.push(filter_key(KeyKind::RelatedActivity, activity));
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_depend_on_kind_and_value_only() {
        let a = filter_key(KeyKind::Agent, "mbox:mailto:a@example.com");
        assert_eq!(a, filter_key(KeyKind::Agent, "mbox:mailto:a@example.com"));
        assert_ne!(
            a,
            filter_key(KeyKind::RelatedAgent, "mbox:mailto:a@example.com")
        );
        assert_ne!(a, filter_key(KeyKind::Agent, "mbox:mailto:b@example.com"));
    }
}
