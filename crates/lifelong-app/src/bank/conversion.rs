//! Conversion (学分转换, R16–R23) for learners: which of their accepted outcomes could replace
//! which courses of a programme (the engine's best plan, with the caps and, for every outcome
//! not used, the reason in plain words), the qualification audit, "what if" one more outcome,
//! and the application itself — verified accounts only (R6), one open application per
//! programme, checked by the engine on the application date (R17). The receiving institution's
//! side is in [`decision`].

use std::collections::{HashMap, HashSet};

use lifelong_core::conversion::{
    decide, plan, Candidate, ConversionCase, ConversionDecision, ConversionPlan, ExemptionRequest,
    PairDecision, PriorExemption, RecognitionRef, RuleRef, Verdict,
};
use lifelong_core::outcome::Outcome;
use lifelong_core::programme::ConversionRule;
use lifelong_core::qualification::{self, ProgrammeIndex, QualificationAudit, WhatIf};
use lifelong_core::review::OutcomeStatus;
use lifelong_core::role::Permission;
use lifelong_core::{Explain, Lang};
use lifelong_store::{
    AccountId, ApplicationId, ApplicationStatus, ConversionApplication, NewConversionApplication,
    StoredExemption, StoredProgramme,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::outcome_input::OutcomeInput;
use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::App;

pub mod decision;

/// A text in both languages, kept with a decision so it reads the same later (R23).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    pub zh: String,
    pub en: String,
}

impl Words {
    /// The text in both languages, from a function of the language.
    pub fn of(text: impl Fn(Lang) -> String) -> Words {
        Words {
            zh: text(Lang::Zh),
            en: text(Lang::En),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// One requested pair and what became of it, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairRecord {
    pub outcome_id: String,
    pub course_code: String,
    pub accepted: bool,
    /// Who refused it: `engine` (a rule or a limit, R17–R22) or `institution` (its judgement).
    pub refused_by: Option<String>,
    /// The codes of the reasons (`cap_exceeded`, …).
    pub reasons: Vec<String>,
    /// The conversion rule cited, if one applied.
    pub rule: Option<RuleRef>,
    pub words: Words,
}

/// The engine's answer to an application, or an institution's decision, as recorded: which
/// rule, which outcome, which limit, machine-readable and in plain words (R23).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionRecord {
    /// The day the rules were applied on: the application date (R17).
    #[serde(with = "lifelong_core::publication::day")]
    pub on: Date,
    pub pairs: Vec<PairRecord>,
    /// How each cap stands after it.
    pub caps: Vec<Words>,
    /// The institution's reason for the pairs it refused.
    #[serde(default)]
    pub reason: Option<String>,
    /// The engine's decision as it computed it.
    pub engine: serde_json::Value,
}

impl ConversionRecord {
    /// The record of an engine decision, pair by pair.
    pub fn from_decision(d: &ConversionDecision) -> ConversionRecord {
        ConversionRecord {
            on: d.on,
            pairs: d.decisions.iter().map(pair_record).collect(),
            caps: d.caps.iter().map(|c| Words::of(|l| c.summary(l))).collect(),
            reason: None,
            engine: serde_json::to_value(d).unwrap_or(serde_json::Value::Null),
        }
    }

    /// Reads a stored record; `None` when it does not parse.
    pub fn read(json: &str) -> Option<ConversionRecord> {
        serde_json::from_str(json).ok()
    }

    /// How many pairs were accepted.
    pub fn accepted(&self) -> usize {
        self.pairs.iter().filter(|p| p.accepted).count()
    }

    pub(crate) fn to_json(&self) -> AppResult<String> {
        serde_json::to_string(self).map_err(|e| AppError::Internal(e.to_string()))
    }
}

fn pair_record(d: &PairDecision) -> PairRecord {
    let (accepted, reasons, rule) = match &d.verdict {
        Verdict::Accepted { exemption } => (
            true,
            Vec::new(),
            Some(RuleRef {
                code: exemption.rule_code.clone(),
                version: exemption.rule_version,
            }),
        ),
        Verdict::Refused { rule, reasons } => (
            false,
            reasons.iter().map(|r| r.code().to_owned()).collect(),
            rule.clone(),
        ),
    };
    PairRecord {
        outcome_id: d.outcome_id.clone(),
        course_code: d.course_code.clone(),
        accepted,
        refused_by: (!accepted).then(|| "engine".to_owned()),
        reasons,
        rule,
        words: Words::of(|l| d.summary(l)),
    }
}

/// What conversion works with for one learner: their accepted outcomes (with the standing
/// recognitions), and the exemptions they hold in the programme.
pub(crate) struct LearnerRecord {
    pub(crate) outcomes: Vec<Outcome>,
    pub(crate) candidates: Vec<Candidate>,
    pub(crate) exemptions: Vec<StoredExemption>,
    pub(crate) prior: Vec<PriorExemption>,
}

impl LearnerRecord {
    /// The conversion case on `on`: courses the learner completed are never exempted.
    pub(crate) fn case<'a>(
        &'a self,
        programme: &'a StoredProgramme,
        rules: &'a [ConversionRule],
        on: Date,
    ) -> ConversionCase<'a> {
        let mut case = ConversionCase::new(&programme.programme, rules, &self.candidates, on);
        case.prior = &self.prior;
        case.passed_courses =
            ProgrammeIndex::new(&programme.programme).passed_courses(&self.outcomes);
        case
    }
}

/// A learner's view of conversion into one programme.
#[derive(Debug, Clone)]
pub struct ConversionPreview {
    pub programme: StoredProgramme,
    /// The best set of exemptions on today's rules, with the caps and every refusal.
    pub plan: ConversionPlan,
    /// The audit with the exemptions held (not the planned ones).
    pub audit: QualificationAudit,
    /// The learner's applications into the programme, newest first.
    pub applications: Vec<ConversionApplication>,
    pub exemptions: Vec<StoredExemption>,
    /// Titles of the learner's outcomes by id, for naming them.
    pub outcome_titles: HashMap<String, String>,
    pub today: Date,
}

impl ConversionPreview {
    /// The pending application, if there is one.
    pub fn open_application(&self) -> Option<&ConversionApplication> {
        self.applications
            .iter()
            .find(|a| a.status == ApplicationStatus::Pending)
    }
}

/// An outcome the learner is considering, for "what if" (R23: what it would change).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WhatIfInput {
    pub title: Option<String>,
    pub kind: String,
    pub certificate_code: Option<String>,
    pub certificate_level: Option<String>,
    pub course_code: Option<String>,
    /// The vouching institution's credit code, for a course taken elsewhere.
    pub source: Option<String>,
    pub credits: Option<String>,
    pub level: Option<String>,
    pub hours: Option<String>,
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn blank(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

impl App {
    /// The learner behind the actor (learners only).
    fn own_account(&self, actor: &Actor) -> AppResult<AccountId> {
        actor.require(Permission::ApplyForCredit)?;
        actor.account.clone().ok_or(AppError::Forbidden)
    }

    /// A learner's accepted outcomes, with recognitions, and exemptions in `programme`.
    pub(crate) async fn learner_record(
        &self,
        account: &AccountId,
        programme: &str,
    ) -> AppResult<LearnerRecord> {
        let recognitions = self.store.recognitions_of(account).await?;
        let mut by_outcome: HashMap<String, RecognitionRef> = HashMap::new();
        for r in recognitions {
            by_outcome
                .entry(r.outcome_id.to_string())
                .or_insert(RecognitionRef {
                    unit_code: r.unit_code,
                    credits: r.credits,
                    level: r.level,
                    category: r.category,
                });
        }
        let outcomes: Vec<Outcome> = self
            .store
            .outcomes_of(account)
            .await?
            .into_iter()
            .filter(|o| o.status == OutcomeStatus::Accepted)
            .map(|o| Outcome {
                id: o.id.to_string(),
                ..o.outcome
            })
            .collect();
        let candidates = outcomes
            .iter()
            .map(|o| Candidate {
                outcome: o.clone(),
                recognition: by_outcome.get(&o.id).cloned(),
            })
            .collect();
        let exemptions = self.store.exemptions_of(account, Some(programme)).await?;
        let prior = exemptions.iter().map(StoredExemption::prior).collect();
        Ok(LearnerRecord {
            outcomes,
            candidates,
            exemptions,
            prior,
        })
    }

    /// Programmes a learner may look at for conversion.
    pub async fn conversion_programmes(&self, actor: &Actor) -> AppResult<Vec<StoredProgramme>> {
        self.own_account(actor)?;
        Ok(self.store.programmes(None).await?)
    }

    /// What conversion into `programme` would give the learner today, and where they stand.
    pub async fn conversion_preview(
        &self,
        actor: &Actor,
        programme: &str,
    ) -> AppResult<ConversionPreview> {
        let account = self.own_account(actor)?;
        let stored = self.store.programme(programme).await?;
        let rules = self.store.rules(Some(programme)).await?;
        let record = self.learner_record(&account, programme).await?;
        let today = today();
        let plan = plan(&record.case(&stored, &rules, today));
        let audit = qualification::audit(&stored.programme, &record.outcomes, &record.prior);
        Ok(ConversionPreview {
            plan,
            audit,
            applications: self
                .store
                .conversion_applications_of(&account, Some(programme))
                .await?,
            outcome_titles: record
                .outcomes
                .iter()
                .map(|o| (o.id.clone(), o.title.clone()))
                .collect(),
            exemptions: record.exemptions,
            programme: stored,
            today,
        })
    }

    /// What one more outcome, as described, would change (R23).
    pub async fn conversion_what_if(
        &self,
        actor: &Actor,
        programme: &str,
        input: &WhatIfInput,
    ) -> AppResult<WhatIf> {
        let account = self.own_account(actor)?;
        let today = today();
        let outcome_input = OutcomeInput {
            title: blank(&input.title).unwrap_or_else(|| "设想的成果".to_owned()),
            kind: input.kind.trim().to_owned(),
            completed_on: lifelong_core::publication::day::format(today),
            certificate_code: blank(&input.certificate_code),
            certificate_level: blank(&input.certificate_level),
            course_code: blank(&input.course_code),
            credits: blank(&input.credits),
            level: blank(&input.level),
            hours: blank(&input.hours),
            ..Default::default()
        };
        let mut outcome = outcome_input.parse(today).map_err(AppError::Invalid)?;
        outcome.id = "what-if".to_owned();
        outcome.source = blank(&input.source);
        let recogniser = super::deposit::Recogniser::load(self).await?;
        let recognition = lifelong_core::recognition::recognise(
            &outcome,
            recogniser.standards(),
            recogniser.units(),
            today,
            &self.settings.credit,
        )
        .recognised
        .map(|r| RecognitionRef {
            unit_code: r.unit_code,
            credits: r.credits,
            level: r.level,
            category: r.category,
        });
        let stored = self.store.programme(programme).await?;
        let rules = self.store.rules(Some(programme)).await?;
        let record = self.learner_record(&account, programme).await?;
        let case = record.case(&stored, &rules, today);
        let extra = Candidate {
            outcome,
            recognition,
        };
        Ok(qualification::what_if(&case, &record.outcomes, &extra))
    }

    /// A learner applies to have outcomes replace courses of `programme` (R6, R16, R17).
    /// `pairs` are the ones ticked; none means every pair of today's plan. The engine checks
    /// them on today's rules; if it accepts none, nothing is recorded.
    pub async fn apply_for_conversion(
        &self,
        actor: &Actor,
        programme: &str,
        pairs: Option<&[ExemptionRequest]>,
    ) -> AppResult<ConversionApplication> {
        let account_id = self.own_account(actor)?;
        let account = self.store.account(&account_id).await?;
        account.status.check_may_apply()?;
        let stored = self.store.programme(programme).await?;
        let rules = self.store.rules(Some(programme)).await?;
        let record = self.learner_record(&account_id, programme).await?;
        let today = today();
        let case = record.case(&stored, &rules, today);
        let requested: Vec<ExemptionRequest> = match pairs {
            Some(p) => dedup(p),
            None => plan(&case)
                .exemptions
                .iter()
                .map(|e| ExemptionRequest::new(e.outcome_id.clone(), e.course_code.clone()))
                .collect(),
        };
        if requested.is_empty() {
            return Err(AppError::Invalid(vec![FieldError::text(
                "pairs",
                "nothing_requested",
                "请至少选择一项要申请免修的课程。",
                "Choose at least one course to apply for.",
            )]));
        }
        let decision = decide(&case, &requested);
        if decision.accepted().next().is_none() {
            let why = Words::of(|l| decision.summary(l));
            return Err(AppError::Invalid(vec![FieldError::text(
                "pairs",
                "nothing_acceptable",
                &format!("所选的课程都不能免修：{}", why.zh),
                &format!("None of the chosen courses can be exempted: {}", why.en),
            )]));
        }
        let calendar = self.store.calendar().await?;
        let id = ApplicationId::new();
        let explanation = ConversionRecord::from_decision(&decision).to_json()?;
        let audit = actor
            .audit("conversion.apply", "conversion_application", id.as_str())
            .with_detail(serde_json::json!({
                "programme": programme, "pairs": requested.len(),
                "acceptable": decision.accepted().count()
            }));
        let new = NewConversionApplication {
            id,
            account_id,
            programme_code: stored.programme.code.clone(),
            institution_id: stored.institution_id.clone(),
            applied_on: today,
            due_on: calendar.due_date(today, self.settings.review_days),
            requested,
            explanation,
        };
        Ok(self.store.create_conversion_application(new, audit).await?)
    }
}

/// The pairs in order, each once.
fn dedup(pairs: &[ExemptionRequest]) -> Vec<ExemptionRequest> {
    let mut seen = HashSet::new();
    pairs
        .iter()
        .filter(|p| seen.insert((p.outcome_id.clone(), p.course_code.clone())))
        .cloned()
        .collect()
}
