//! What archive entries say: the bodies written for outcomes and recognitions, as canonical
//! JSON (fixed field order, no whitespace), and how they are read back for display and export.

use lifelong_core::archive::EntryKind;
use lifelong_core::credits::{Credits, StudyHours};
use lifelong_core::framework::Level;
use lifelong_core::outcome::{CreditCategory, LearningMode, Outcome, OutcomeClass, OutcomeKind};
use lifelong_core::review::OutcomeOrigin;
use lifelong_store::{EntryId, NewEntry, NewRecognition, OutcomeId, RecognitionId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{AppError, AppResult};

/// Who vouches for an outcome, as the archive records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Unified social credit code.
    pub credit_code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// The body of an `outcome` entry (R7): content, mode, time, result, source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeBody {
    pub outcome_id: String,
    pub origin: OutcomeOrigin,
    pub title: String,
    pub kind: OutcomeKind,
    pub class: OutcomeClass,
    pub category: CreditCategory,
    pub industry: Option<char>,
    pub level: Option<Level>,
    pub mode: LearningMode,
    #[serde(with = "lifelong_core::publication::day")]
    pub completed_on: Date,
    pub hours: Option<StudyHours>,
    pub credits: Option<Credits>,
    pub score: Option<Decimal>,
    pub passed: bool,
    pub certificate_code: Option<String>,
    pub certificate_level: Option<u8>,
    pub course_code: Option<String>,
    pub source: Option<Source>,
    pub external_id: Option<String>,
}

/// The body of a `recognition` entry (R16).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecognitionBody {
    pub recognition_id: String,
    pub certificate_no: String,
    pub outcome_id: String,
    pub title: String,
    pub standard_code: String,
    pub standard_version: u32,
    pub unit_code: String,
    pub unit_version: u32,
    pub unit_title: String,
    pub credits: Credits,
    pub category: CreditCategory,
    pub level: Level,
    #[serde(with = "lifelong_core::publication::day")]
    pub recognised_on: Date,
}

/// The body of a `revocation` entry (R8): which entry no longer counts, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevocationBody {
    pub outcome_id: String,
    pub title: String,
    pub reversed_kind: EntryKind,
    pub reason: String,
}

/// The revocation of an archive entry.
pub(crate) fn revocation_entry(
    reversed: &EntryId,
    reversed_kind: EntryKind,
    outcome_id: &OutcomeId,
    title: &str,
    reason: &str,
    year: Option<i32>,
) -> AppResult<NewEntry> {
    let body = RevocationBody {
        outcome_id: outcome_id.to_string(),
        title: title.to_owned(),
        reversed_kind,
        reason: reason.to_owned(),
    };
    Ok(NewEntry {
        id: EntryId::new(),
        kind: EntryKind::Revocation,
        reverses: Some(reversed.clone()),
        body: canonical(&body)?,
        year,
        category: None,
        outcome_kind: None,
    })
}

/// An entry's body, read back by its kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum EntryBody {
    Outcome(OutcomeBody),
    Recognition(RecognitionBody),
    Revocation(RevocationBody),
    Exemption(ExemptionBody),
    /// Learning activity a platform sent by xAPI.
    Activity(crate::xapi::ActivityBody),
    /// Kinds whose bodies this version shows as they are (check-in, corrections).
    Other(serde_json::Value),
}

impl EntryBody {
    /// Reads a stored body; a body that does not parse as its kind is shown raw.
    pub fn read(kind: EntryKind, body: &str) -> EntryBody {
        let parsed = match kind {
            EntryKind::Outcome => serde_json::from_str(body).ok().map(EntryBody::Outcome),
            EntryKind::Recognition => serde_json::from_str(body).ok().map(EntryBody::Recognition),
            EntryKind::Revocation => serde_json::from_str(body).ok().map(EntryBody::Revocation),
            EntryKind::Exemption => serde_json::from_str(body).ok().map(EntryBody::Exemption),
            EntryKind::Activity => serde_json::from_str(body).ok().map(EntryBody::Activity),
            _ => None,
        };
        parsed.unwrap_or_else(|| {
            EntryBody::Other(serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
        })
    }

    /// The title shown in lists.
    pub fn title(&self) -> String {
        match self {
            EntryBody::Outcome(o) => o.title.clone(),
            EntryBody::Recognition(r) => r.title.clone(),
            EntryBody::Revocation(r) => r.title.clone(),
            EntryBody::Exemption(x) => x.title.clone(),
            EntryBody::Activity(a) => a.title.clone(),
            EntryBody::Other(v) => v
                .get("title")
                .and_then(|t| t.as_str())
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

pub(crate) fn canonical<T: Serialize>(body: &T) -> AppResult<String> {
    serde_json::to_string(body).map_err(|e| AppError::Internal(e.to_string()))
}

/// The archive entry of an outcome that counts.
pub(crate) fn outcome_entry(
    id: &OutcomeId,
    outcome: &Outcome,
    origin: OutcomeOrigin,
    source: Option<Source>,
    external_id: Option<&str>,
) -> AppResult<NewEntry> {
    let body = OutcomeBody {
        outcome_id: id.to_string(),
        origin,
        title: outcome.title.clone(),
        kind: outcome.kind,
        class: outcome.class,
        category: outcome.category,
        industry: outcome.industry,
        level: outcome.level,
        mode: outcome.mode,
        completed_on: outcome.completed_on,
        hours: outcome.hours,
        credits: outcome.credits,
        score: outcome.score,
        passed: outcome.passed,
        certificate_code: outcome.certificate_code.clone(),
        certificate_level: outcome.certificate_level,
        course_code: outcome.course_code.clone(),
        source,
        external_id: external_id.map(str::to_owned),
    };
    Ok(NewEntry {
        id: EntryId::new(),
        kind: EntryKind::Outcome,
        reverses: None,
        body: canonical(&body)?,
        year: Some(outcome.completed_on.year()),
        category: Some(outcome.category),
        outcome_kind: Some(outcome.kind),
    })
}

/// A recognition certificate number: `SHCB-<year>-<20 hex digits>`, 80 bits from the operating
/// system's generator, so numbers neither collide (a collision is expected only after about a
/// trillion certificates) nor can be guessed to look up other people's certificates.
pub(crate) fn certificate_no(on: Date) -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 10];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("SHCB-{}-{}", on.year(), hex::encode_upper(bytes))
}

/// The recognition of an outcome, with its archive entry.
pub(crate) fn recognition(
    outcome_id: &OutcomeId,
    outcome: &Outcome,
    decision: &lifelong_core::recognition::RecognitionDecision,
    unit_title: &str,
) -> AppResult<Option<NewRecognition>> {
    let Some(r) = &decision.recognised else {
        return Ok(None);
    };
    let id = RecognitionId::new();
    let certificate_no = certificate_no(decision.on);
    let body = RecognitionBody {
        recognition_id: id.to_string(),
        certificate_no: certificate_no.clone(),
        outcome_id: outcome_id.to_string(),
        title: outcome.title.clone(),
        standard_code: r.standard_code.clone(),
        standard_version: r.standard_version,
        unit_code: r.unit_code.clone(),
        unit_version: r.unit_version,
        unit_title: unit_title.to_owned(),
        credits: r.credits,
        category: r.category,
        level: r.level,
        recognised_on: decision.on,
    };
    Ok(Some(NewRecognition {
        id,
        certificate_no,
        standard_code: r.standard_code.clone(),
        standard_version: r.standard_version,
        unit_code: r.unit_code.clone(),
        unit_version: r.unit_version,
        credits: r.credits,
        category: r.category,
        level: r.level,
        recognised_on: decision.on,
        explanation: canonical(decision)?,
        entry: NewEntry {
            id: EntryId::new(),
            kind: EntryKind::Recognition,
            reverses: None,
            body: canonical(&body)?,
            year: Some(decision.on.year()),
            category: Some(r.category),
            outcome_kind: Some(outcome.kind),
        },
    }))
}

/// The body of an `exemption` entry (R20): the course recorded with its own credits and the
/// grade 免考, the outcome that replaced it, the rule cited (R17) and the application decided.
/// Its `title` leads, so lists that know only titles show what it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExemptionBody {
    pub title: String,
    pub programme_code: String,
    pub programme_title: String,
    pub course_code: String,
    pub course_title: String,
    pub course_title_en: String,
    pub credits: Credits,
    pub grade: String,
    pub outcome_id: String,
    pub outcome_title: String,
    pub rule_code: String,
    pub rule_version: u32,
    pub application_id: String,
    #[serde(with = "lifelong_core::publication::day")]
    pub decided_on: Date,
}

impl ExemptionBody {
    /// The exemption an entry records, if it is one.
    pub fn of(body: &EntryBody) -> Option<ExemptionBody> {
        match body {
            EntryBody::Exemption(x) => Some(x.clone()),
            _ => None,
        }
    }
}

/// The archive entry of an exemption granted in a conversion decision.
pub(crate) fn exemption_entry(
    programme: &lifelong_core::programme::Programme,
    application: &lifelong_store::ApplicationId,
    e: &lifelong_core::conversion::PlannedExemption,
    outcome_title: &str,
    category: CreditCategory,
    on: Date,
) -> AppResult<NewEntry> {
    let body = ExemptionBody {
        title: format!(
            "{}（{}）{}",
            e.course_title.zh,
            e.course_code,
            lifelong_core::conversion::EXEMPT_GRADE
        ),
        programme_code: programme.code.clone(),
        programme_title: programme.title.zh.clone(),
        course_code: e.course_code.clone(),
        course_title: e.course_title.zh.clone(),
        course_title_en: e.course_title.en.clone(),
        credits: e.credits,
        grade: e.grade.clone(),
        outcome_id: e.outcome_id.clone(),
        outcome_title: outcome_title.to_owned(),
        rule_code: e.rule_code.clone(),
        rule_version: e.rule_version,
        application_id: application.to_string(),
        decided_on: on,
    };
    Ok(NewEntry {
        id: EntryId::new(),
        kind: EntryKind::Exemption,
        reverses: None,
        body: canonical(&body)?,
        year: Some(on.year()),
        category: Some(category),
        outcome_kind: Some(e.kind),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r16_certificate_numbers_are_long_random_and_distinct() {
        let on = time::macros::date!(2026 - 11 - 23);
        let numbers: std::collections::HashSet<String> =
            (0..10_000).map(|_| certificate_no(on)).collect();
        assert_eq!(numbers.len(), 10_000);
        let one = numbers.iter().next().unwrap();
        assert!(one.starts_with("SHCB-2026-") && one.len() == 30, "{one}");
        assert!(one[10..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()));
    }
}
