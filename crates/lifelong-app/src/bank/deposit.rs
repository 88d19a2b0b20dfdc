//! Depositing outcomes (R7, R15): an institution's staff or API client records learners'
//! outcomes one at a time or from a file. A deposit from a trusted institution counts at once —
//! into the learner's archive, recognised under the standards in force (R16) — and any other
//! waits in the review queue with a due date (R15). An institution's external record id is
//! unique: depositing it again changes nothing.

use std::collections::HashMap;

use lifelong_core::id_number::IdNumber;
use lifelong_core::outcome::Outcome;
use lifelong_core::recognition::StandardIndex;
use lifelong_core::review::{initial_status, OutcomeOrigin, OutcomeStatus};
use lifelong_core::role::Permission;
use lifelong_store::{
    AccountId, DepositCounts, Institution, NewOutcome, NewRecognition, OutcomeId, StoredOutcome,
};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::entries::{outcome_entry, recognition, Source};
use super::outcome_input::OutcomeInput;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::identity::id_index;
use crate::App;

/// One outcome deposited by an institution.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DepositInput {
    /// The learner's resident ID number.
    pub id_number: String,
    /// The institution's own record id; unique per institution (re-deposits change nothing).
    pub external_id: Option<String>,
    #[serde(flatten)]
    pub outcome: OutcomeInput,
}

/// How a single deposit ended.
#[derive(Debug, Clone)]
pub enum Deposited {
    /// Recorded now.
    Created(StoredOutcome),
    /// The institution had deposited this external id before: the earlier record, unchanged.
    Existing(StoredOutcome),
}

/// The standards and units, loaded and indexed once for a batch of recognitions.
pub(crate) struct Recogniser {
    index: std::sync::Arc<StandardIndex>,
    policy: lifelong_core::credits::CreditPolicy,
    pub(crate) today: Date,
}

impl Recogniser {
    pub(crate) async fn load(app: &App) -> AppResult<Recogniser> {
        Ok(Recogniser {
            index: app.standards.get(app.store.as_ref()).await?,
            policy: app.settings.credit,
            today: OffsetDateTime::now_utc().date(),
        })
    }

    /// The standards loaded.
    pub(crate) fn standards(&self) -> &[lifelong_core::recognition::RecognitionStandard] {
        self.index.standards()
    }

    /// The units loaded, found by code.
    pub(crate) fn units(&self) -> &StandardIndex {
        &self.index
    }

    /// What recognising `outcome` today would decide (R16, R23).
    pub(crate) fn decide(
        &self,
        outcome: &Outcome,
    ) -> lifelong_core::recognition::RecognitionDecision {
        self.index.recognise(outcome, self.today, &self.policy)
    }

    /// The recognition of an outcome that counts, if a standard in force applies (R16).
    pub(crate) fn recognise(
        &self,
        id: &OutcomeId,
        outcome: &Outcome,
    ) -> AppResult<Option<NewRecognition>> {
        let decision = self.decide(outcome);
        let unit_title = decision
            .recognised
            .as_ref()
            .and_then(|r| self.index.unit(&r.unit_code, r.unit_version))
            .map(|u| u.title.zh.clone())
            .unwrap_or_default();
        recognition(id, outcome, &decision, &unit_title)
    }
}

pub(crate) fn source_of(institution: &Institution) -> Source {
    Source {
        credit_code: institution.credit_code.as_str().to_owned(),
        name_zh: institution.name_zh.clone(),
        name_en: institution.name_en.clone(),
    }
}

fn external_id(value: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > 64 || v.chars().any(char::is_control) {
        return Err(FieldError::text(
            "external_id",
            "external_id_invalid",
            "机构记录编号不能超过64个字符。",
            "The institution's record id cannot be longer than 64 characters.",
        ));
    }
    Ok(Some(v.to_owned()))
}

impl App {
    /// The institution an actor deposits for, which must be active.
    pub(crate) async fn depositing_institution(&self, actor: &Actor) -> AppResult<Institution> {
        actor.require(Permission::DepositOutcomes)?;
        let institution = self.store.institution(actor.own_institution()?).await?;
        if !institution.status.is_active() {
            return Err(AppError::Forbidden);
        }
        Ok(institution)
    }

    /// Builds the record of one deposited outcome for `account`.
    pub(crate) fn new_deposit(
        &self,
        institution: &Institution,
        account: AccountId,
        external_id: Option<String>,
        mut outcome: Outcome,
        recogniser: &Recogniser,
        calendar: &lifelong_core::calendar::WorkCalendar,
    ) -> AppResult<NewOutcome> {
        let id = OutcomeId::new();
        outcome.id = id.to_string();
        outcome.source = Some(institution.credit_code.as_str().to_owned());
        let status = initial_status(OutcomeOrigin::Deposit, institution.trusted);
        let counts = status == OutcomeStatus::Accepted;
        let entry = if counts {
            Some(outcome_entry(
                &id,
                &outcome,
                OutcomeOrigin::Deposit,
                Some(source_of(institution)),
                external_id.as_deref(),
            )?)
        } else {
            None
        };
        let recognition = if counts {
            recogniser.recognise(&id, &outcome)?
        } else {
            None
        };
        Ok(NewOutcome {
            id,
            account_id: account,
            institution_id: Some(institution.id.clone()),
            external_id,
            origin: OutcomeOrigin::Deposit,
            status,
            outcome,
            due_on: (!counts)
                .then(|| calendar.due_date(recogniser.today, self.settings.review_days)),
            entry,
            recognition,
            evidence: Vec::new(),
        })
    }

    /// Deposits one outcome. A repeat of an external id returns the earlier record.
    pub async fn deposit_outcome(
        &self,
        actor: &Actor,
        input: &DepositInput,
    ) -> AppResult<Deposited> {
        let institution = self.depositing_institution(actor).await?;
        let today = OffsetDateTime::now_utc().date();
        let mut errors = Vec::new();
        let external = external_id(input.external_id.as_deref())
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let id_number = IdNumber::parse(&input.id_number)
            .map_err(|e| errors.push(FieldError::new("id_number", &e)))
            .ok();
        let outcome = input
            .outcome
            .parse(today)
            .map_err(|mut e| errors.append(&mut e))
            .ok();
        let (Some(id_number), Some(outcome)) = (id_number, outcome) else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        if let Some(ext) = &external {
            if let Some(existing) = self
                .store
                .outcome_by_external_id(&institution.id, ext)
                .await?
            {
                return Ok(Deposited::Existing(existing));
            }
        }
        let account = self
            .account_by_id_number(&id_number)
            .await?
            .ok_or_else(|| {
                AppError::Invalid(vec![FieldError::text(
                    "id_number",
                    "unknown_learner",
                    "此身份证号码尚未开通学习账户，请先为其开户。",
                    "No learning account has this ID number; open one first.",
                )])
            })?;
        let recogniser = Recogniser::load(self).await?;
        let calendar = self.store.calendar().await?;
        let new = self.new_deposit(
            &institution,
            account,
            external.clone(),
            outcome,
            &recogniser,
            &calendar,
        )?;
        let id = new.id.clone();
        let audit = actor
            .audit("outcome.deposit", "outcome", id.as_str())
            .with_detail(serde_json::json!({
                "status": new.status.as_str(),
                "recognised": new.recognition.is_some(),
            }));
        let counts: DepositCounts = self.store.deposit_outcomes(vec![new], None, audit).await?;
        if counts.unchanged == 1 {
            // Deposited by a concurrent request a moment ago.
            if let Some(ext) = &external {
                if let Some(existing) = self
                    .store
                    .outcome_by_external_id(&institution.id, ext)
                    .await?
                {
                    return Ok(Deposited::Existing(existing));
                }
            }
        }
        Ok(Deposited::Created(self.store.outcome(&id).await?))
    }

    /// An outcome the actor's institution deposited; another institution's is not found.
    pub async fn deposited_outcome(
        &self,
        actor: &Actor,
        id: &OutcomeId,
    ) -> AppResult<StoredOutcome> {
        actor.require(Permission::DepositOutcomes)?;
        let outcome = self.store.outcome(id).await?;
        if outcome.institution_id.as_ref() != Some(actor.own_institution()?) {
            return Err(AppError::NotFound);
        }
        Ok(outcome)
    }

    /// The account of an ID number, if the person has one.
    pub(crate) async fn account_by_id_number(
        &self,
        id_number: &IdNumber,
    ) -> AppResult<Option<AccountId>> {
        let index = id_index(&self.vault, id_number);
        let found = self
            .store
            .account_ids_by_index(std::slice::from_ref(&index))
            .await?;
        Ok(found.into_iter().next().map(|(_, id)| id))
    }

    /// The accounts of many ID-number blind indexes.
    pub(crate) async fn accounts_by_index(
        &self,
        indexes: &[String],
    ) -> AppResult<HashMap<String, AccountId>> {
        Ok(self
            .store
            .account_ids_by_index(indexes)
            .await?
            .into_iter()
            .collect())
    }
}
