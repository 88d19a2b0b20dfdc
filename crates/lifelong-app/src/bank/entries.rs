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

/// An entry's body, read back by its kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum EntryBody {
    Outcome(OutcomeBody),
    Recognition(RecognitionBody),
    /// Kinds whose bodies this version shows as they are (activity, check-in, corrections).
    Other(serde_json::Value),
}

impl EntryBody {
    /// Reads a stored body; a body that does not parse as its kind is shown raw.
    pub fn read(kind: EntryKind, body: &str) -> EntryBody {
        let parsed = match kind {
            EntryKind::Outcome => serde_json::from_str(body).ok().map(EntryBody::Outcome),
            EntryKind::Recognition => serde_json::from_str(body).ok().map(EntryBody::Recognition),
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
            EntryBody::Other(v) => v
                .get("title")
                .and_then(|t| t.as_str())
                .unwrap_or_default()
                .to_owned(),
        }
    }
}

fn canonical<T: Serialize>(body: &T) -> AppResult<String> {
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

/// A recognition certificate number: `SHCB-<year>-<10 hex digits>` from the id's random part.
pub(crate) fn certificate_no(id: &RecognitionId, on: Date) -> String {
    let hex: String = id
        .as_str()
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect();
    let tail = &hex[hex.len().saturating_sub(10)..];
    format!("SHCB-{}-{}", on.year(), tail.to_ascii_uppercase())
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
    let certificate_no = certificate_no(&id, decision.on);
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
