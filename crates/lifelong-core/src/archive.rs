//! The lifelong learning archive (终身学习档案, R7–R9): an append-only list of entries per
//! learner, chained by hash so that any change to a stored entry is detectable (R8).
//!
//! Each entry's hash is SHA-256 over the previous entry's hash and the entry's own fields, in
//! a fixed, length-prefixed encoding (see [`EntryFields::hash`]); the first entry of a learner
//! chains from [`GENESIS`]. A correction or a revocation is a new entry that names the entry it
//! reverses. Entries of every kind — deposited outcomes, recognitions, exemptions, streamed
//! learning activity, check-ins — share the one chain.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::outcome::coded_enum;

coded_enum!(
    /// What an archive entry records.
    EntryKind {
        /// A learning outcome that counts: deposited by an institution or accepted on review.
        Outcome = "outcome", "学习成果", "Learning outcome";
        /// The bank recognised an outcome against a unit, with credits (R16).
        Recognition = "recognition", "学分认定", "Recognition";
        /// A receiving institution exempted a course on the strength of an outcome (R20).
        Exemption = "exemption", "免修免考", "Exemption";
        /// Learning activity streamed from a learning platform (xAPI).
        Activity = "activity", "学习活动", "Learning activity";
        /// A check-in at a learning site.
        CheckIn = "check_in", "学习打卡", "Check-in";
        /// Corrects an earlier entry: the earlier one stands reversed, this one replaces it.
        Correction = "correction", "更正", "Correction";
        /// Revokes an earlier entry: it no longer counts.
        Revocation = "revocation", "撤销", "Revocation";
    }
);

impl EntryKind {
    /// Whether entries of this kind reverse an earlier entry (and must name it).
    pub fn reverses(self) -> bool {
        matches!(self, EntryKind::Correction | EntryKind::Revocation)
    }
}

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The hash a learner's first entry chains from.
pub const GENESIS: Hash = [0u8; 32];

/// The hashed fields of an entry. Everything that says what the entry means is here; the
/// store keeps them verbatim so the hash can be recomputed.
#[derive(Debug, Clone, Copy)]
pub struct EntryFields<'a> {
    /// The learner's account id.
    pub account: &'a str,
    /// 1 for the first entry of the learner, then 2, 3 …
    pub seq: u64,
    pub kind: EntryKind,
    /// The entry's id.
    pub id: &'a str,
    /// The entry reversed by a correction or revocation.
    pub reverses: Option<&'a str>,
    /// When it was recorded, as the store writes it (fixed-width RFC 3339 UTC).
    pub recorded_at: &'a str,
    /// The entry's content, as canonical JSON text.
    pub body: &'a str,
}

fn put(h: &mut Sha256, field: &[u8]) {
    h.update((field.len() as u64).to_be_bytes());
    h.update(field);
}

impl EntryFields<'_> {
    /// The entry's hash, chained from `prev`. Every field is length-prefixed, so no two
    /// different entries encode to the same bytes.
    pub fn hash(&self, prev: &Hash) -> Hash {
        let mut h = Sha256::new();
        h.update(b"lifelong-archive-v1");
        h.update(prev);
        put(&mut h, self.account.as_bytes());
        h.update(self.seq.to_be_bytes());
        put(&mut h, self.kind.as_str().as_bytes());
        put(&mut h, self.id.as_bytes());
        put(&mut h, self.reverses.unwrap_or("").as_bytes());
        put(&mut h, self.recorded_at.as_bytes());
        put(&mut h, self.body.as_bytes());
        h.finalize().into()
    }
}

/// Where a chain stands after its last entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub seq: u64,
    pub hash: Hash,
}

impl Head {
    /// The head of a learner with no entries.
    pub const EMPTY: Head = Head {
        seq: 0,
        hash: GENESIS,
    };
}

/// The first place a chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokenLink {
    pub account: String,
    /// The sequence number of the first entry that does not verify.
    pub seq: u64,
    pub entry_id: String,
    pub reason: BreakReason,
}

/// How a chain is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakReason {
    /// The stored hash is not the hash of the stored fields: the entry was changed.
    HashMismatch,
    /// The entry does not point at the previous entry's hash: an entry was removed or replaced.
    PrevMismatch,
    /// Sequence numbers skip or repeat: an entry was removed or inserted.
    SeqGap,
    /// The chain's recorded head does not match its last entry: entries were cut off the end.
    HeadMismatch,
}

impl BreakReason {
    pub fn describe(self) -> &'static str {
        match self {
            BreakReason::HashMismatch => "the stored hash does not match the entry's content",
            BreakReason::PrevMismatch => "the entry does not chain from the previous entry",
            BreakReason::SeqGap => "sequence numbers skip or repeat",
            BreakReason::HeadMismatch => "the chain's head does not match its last entry",
        }
    }
}

/// Checks one learner's entries as they stream past, in sequence order.
#[derive(Debug)]
pub struct ChainVerifier {
    account: String,
    head: Head,
    broken: Option<BrokenLink>,
}

impl ChainVerifier {
    pub fn new(account: &str) -> Self {
        ChainVerifier {
            account: account.to_owned(),
            head: Head::EMPTY,
            broken: None,
        }
    }

    /// Feeds the next stored entry with its stored `prev` and `hash`.
    pub fn next(&mut self, fields: &EntryFields<'_>, stored_prev: &Hash, stored_hash: &Hash) {
        if self.broken.is_some() {
            return;
        }
        let reason = if fields.seq != self.head.seq + 1 {
            Some(BreakReason::SeqGap)
        } else if stored_prev != &self.head.hash {
            Some(BreakReason::PrevMismatch)
        } else if &fields.hash(stored_prev) != stored_hash {
            Some(BreakReason::HashMismatch)
        } else {
            None
        };
        match reason {
            Some(reason) => {
                self.broken = Some(BrokenLink {
                    account: self.account.clone(),
                    seq: fields.seq,
                    entry_id: fields.id.to_owned(),
                    reason,
                })
            }
            None => {
                self.head = Head {
                    seq: fields.seq,
                    hash: *stored_hash,
                }
            }
        }
    }

    /// The verdict, given the head the store records for the learner.
    pub fn finish(self, recorded_head: Option<Head>) -> Result<Head, BrokenLink> {
        if let Some(b) = self.broken {
            return Err(b);
        }
        match recorded_head {
            Some(h) if h != self.head => Err(BrokenLink {
                account: self.account,
                seq: self.head.seq + 1,
                entry_id: String::new(),
                reason: BreakReason::HeadMismatch,
            }),
            _ => Ok(self.head),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry<'a>(seq: u64, id: &'a str, body: &'a str) -> EntryFields<'a> {
        EntryFields {
            account: "acc-1",
            seq,
            kind: EntryKind::Outcome,
            id,
            reverses: None,
            recorded_at: "2026-11-23T10:00:00.000000Z",
            body,
        }
    }

    fn chain() -> Vec<(EntryFields<'static>, Hash, Hash)> {
        let mut prev = GENESIS;
        let mut out = Vec::new();
        for (i, (id, body)) in [
            ("e1", "{\"a\":1}"),
            ("e2", "{\"a\":2}"),
            ("e3", "{\"a\":3}"),
        ]
        .into_iter()
        .enumerate()
        {
            let f = entry(i as u64 + 1, id, body);
            let h = f.hash(&prev);
            out.push((f, prev, h));
            prev = h;
        }
        out
    }

    fn verify(
        entries: &[(EntryFields<'_>, Hash, Hash)],
        head: Option<Head>,
    ) -> Result<Head, BrokenLink> {
        let mut v = ChainVerifier::new("acc-1");
        for (f, p, h) in entries {
            v.next(f, p, h);
        }
        v.finish(head)
    }

    #[test]
    fn r8_an_intact_chain_verifies() {
        let c = chain();
        let head = verify(&c, None).unwrap();
        assert_eq!(head.seq, 3);
        assert_eq!(head.hash, c[2].2);
        assert!(verify(&c, Some(head)).is_ok());
    }

    #[test]
    fn r8_changing_any_field_breaks_the_chain_at_that_entry() {
        let c = chain();
        let mut changed = c.clone();
        changed[1].0.body = "{\"a\":20}";
        let b = verify(&changed, None).unwrap_err();
        assert_eq!((b.seq, b.reason), (2, BreakReason::HashMismatch));

        let mut kind = c.clone();
        kind[0].0.kind = EntryKind::Revocation;
        assert_eq!(verify(&kind, None).unwrap_err().seq, 1);

        let mut time = c.clone();
        time[2].0.recorded_at = "2026-11-23T10:00:00.000001Z";
        assert_eq!(verify(&time, None).unwrap_err().seq, 3);
    }

    #[test]
    fn r8_removing_or_reordering_entries_is_caught() {
        let c = chain();
        let removed = vec![c[0], c[2]];
        assert_eq!(
            verify(&removed, None).unwrap_err().reason,
            BreakReason::SeqGap
        );
        let cut = vec![c[0], c[1]];
        let full_head = Head {
            seq: 3,
            hash: c[2].2,
        };
        assert_eq!(
            verify(&cut, Some(full_head)).unwrap_err().reason,
            BreakReason::HeadMismatch
        );
        // An entry rewritten with a fresh hash still fails: the next one no longer chains.
        let mut rewritten = c.clone();
        rewritten[1].0.body = "{\"a\":99}";
        rewritten[1].2 = rewritten[1].0.hash(&rewritten[1].1);
        let b = verify(&rewritten, None).unwrap_err();
        assert_eq!((b.seq, b.reason), (3, BreakReason::PrevMismatch));
    }

    #[test]
    fn r8_length_prefixes_keep_fields_apart() {
        let a = EntryFields {
            body: "xy",
            id: "e",
            ..entry(1, "e", "")
        };
        let b = EntryFields {
            body: "y",
            id: "ex",
            ..entry(1, "ex", "")
        };
        assert_ne!(a.hash(&GENESIS), b.hash(&GENESIS));
    }
}
