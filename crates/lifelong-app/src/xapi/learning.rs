//! Learning activity from xAPI into learners' archives. A statement becomes an `activity`
//! entry when its actor is a Lifelong learner — an `account` under the bank's home page whose
//! name is the learner's account id — who is a member of the sending institution, and its verb
//! is one the credit bank counts (data: `[app.xapi.learning]`). Hours come from
//! `result.duration`. The entry carries the rule that admitted it, in both languages, so the
//! learner reads why it is there. A voided statement's entry is revoked by a new entry (R8).

use lifelong_core::archive::EntryKind;
use lifelong_core::Lang;
use lifelong_store::{AccountId, EntryId, NewEntry};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use super::console::language_text;
use super::XapiClient;
use crate::bank::entries::{canonical, revocation_entry};
use crate::{App, AppResult};

/// A verb the credit bank counts as learning activity.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerbRule {
    /// The verb's IRI.
    pub verb: String,
    pub name_zh: String,
    pub name_en: String,
    /// Count it only when `result.success` is true.
    #[serde(default)]
    pub requires_success: bool,
}

/// Which statements become learning activity.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LearningRules {
    pub verbs: Vec<VerbRule>,
}

impl Default for LearningRules {
    fn default() -> Self {
        let rule = |verb: &str, zh: &str, en: &str, requires_success| VerbRule {
            verb: format!("http://adlnet.gov/expapi/verbs/{verb}"),
            name_zh: zh.into(),
            name_en: en.into(),
            requires_success,
        };
        LearningRules {
            verbs: vec![
                rule("completed", "完成", "completed", false),
                rule("passed", "通过", "passed", true),
                rule("attended", "参加", "attended", false),
                rule("mastered", "掌握", "mastered", false),
            ],
        }
    }
}

/// The body of an `activity` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityBody {
    pub statement_id: String,
    pub title: String,
    pub verb: String,
    pub verb_zh: String,
    pub verb_en: String,
    pub activity: String,
    /// Study hours from `result.duration`, to two places.
    pub hours: Option<String>,
    pub success: Option<bool>,
    pub completion: Option<bool>,
    pub score: Option<f64>,
    pub institution_id: String,
    pub platform: String,
    pub at: String,
    /// Why it is in the archive, in Chinese and English.
    pub rule_zh: String,
    pub rule_en: String,
}

impl App {
    /// The learner a statement's actor names, if they are a member of the client's
    /// institution.
    async fn learner_of(
        &self,
        client: &XapiClient,
        statement: &Value,
    ) -> AppResult<Option<AccountId>> {
        let Some(account) = statement.get("actor").and_then(|a| a.get("account")) else {
            return Ok(None);
        };
        let home = self.settings.xapi.home_page.trim_end_matches('/');
        let same_home = account
            .get("homePage")
            .and_then(Value::as_str)
            .is_some_and(|h| h.trim_end_matches('/') == home);
        let Some(name) = account
            .get("name")
            .and_then(Value::as_str)
            .filter(|_| same_home)
        else {
            return Ok(None);
        };
        let Some(id) = AccountId::parse(name) else {
            return Ok(None);
        };
        Ok(self
            .store
            .is_member(&client.institution, &id)
            .await?
            .then_some(id))
    }

    /// The archive entries a new statement writes: an activity entry for a counted verb about
    /// a member learner; for a voiding statement, the revocation of the voided one's entry.
    pub(crate) async fn learning_entries(
        &self,
        client: &XapiClient,
        prepared: &lifelong_xapi::Prepared,
    ) -> AppResult<Vec<(AccountId, NewEntry)>> {
        if let Some(target) = prepared.voids {
            let Some((account, entry)) = self.store.statement_entry(client.tenant, target).await?
            else {
                return Ok(Vec::new());
            };
            // The revocation carries the activity's title, so the learner sees what was
            // withdrawn.
            let stored = self.store.archive_entry(&entry).await?;
            let title = match crate::bank::EntryBody::read(stored.kind, &stored.body) {
                crate::bank::EntryBody::Activity(a) => a.title,
                _ => "xAPI".to_owned(),
            };
            let revocation = revocation_entry(
                &entry,
                EntryKind::Activity,
                &lifelong_store::OutcomeId::from_db(target.to_string()),
                &title,
                &format!("voided by statement {}", prepared.id),
                Some(OffsetDateTime::now_utc().year()),
            )?;
            return Ok(vec![(account, revocation)]);
        }
        let Some(rule) = self
            .settings
            .xapi
            .learning
            .verbs
            .iter()
            .find(|r| r.verb == prepared.verb)
        else {
            return Ok(Vec::new());
        };
        let s = &prepared.statement;
        let result = s.get("result");
        let success = result
            .and_then(|r| r.get("success"))
            .and_then(Value::as_bool);
        if rule.requires_success && success != Some(true) {
            return Ok(Vec::new());
        }
        let Some(learner) = self.learner_of(client, s).await? else {
            return Ok(Vec::new());
        };
        let object = s.get("object");
        let activity = object
            .and_then(|o| o.get("id"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let definition = object.and_then(|o| o.get("definition"));
        let title = language_text(definition.and_then(|d| d.get("name")), Lang::Zh)
            .unwrap_or_else(|| activity.to_owned());
        let duration = result
            .and_then(|r| r.get("duration"))
            .and_then(Value::as_str);
        let hours = duration
            .and_then(lifelong_xapi::duration_seconds)
            .map(|secs| format!("{:.2}", secs / 3600.0));
        let at = s
            .get("timestamp")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_default();
        let year = at
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .or(Some(OffsetDateTime::now_utc().year()));
        let (rule_zh, rule_en) = match &hours {
            Some(h) => (
                format!("学习平台“{}”报送：{}“{}”，按学习时长 {} 计 {h} 小时。", client.label, rule.name_zh, title, duration.unwrap_or_default()),
                format!("Sent by learning platform \"{}\": {} \"{}\"; {h} hours from its duration {}.", client.label, rule.name_en, title, duration.unwrap_or_default()),
            ),
            None => (
                format!("学习平台“{}”报送：{}“{}”；未报学习时长，不计学时。", client.label, rule.name_zh, title),
                format!("Sent by learning platform \"{}\": {} \"{}\"; no duration was sent, so no hours are counted.", client.label, rule.name_en, title),
            ),
        };
        let body = ActivityBody {
            statement_id: prepared.id.to_string(),
            title,
            verb: rule.verb.clone(),
            verb_zh: rule.name_zh.clone(),
            verb_en: rule.name_en.clone(),
            activity: activity.to_owned(),
            hours,
            success,
            completion: result
                .and_then(|r| r.get("completion"))
                .and_then(Value::as_bool),
            score: result
                .and_then(|r| r.get("score"))
                .and_then(|sc| sc.get("scaled"))
                .and_then(Value::as_f64),
            institution_id: client.institution.to_string(),
            platform: client.label.clone(),
            at,
            rule_zh,
            rule_en,
        };
        let entry = NewEntry {
            id: EntryId::new(),
            kind: EntryKind::Activity,
            reverses: None,
            body: canonical(&body)?,
            year,
            category: None,
            outcome_kind: None,
        };
        Ok(vec![(learner, entry)])
    }
}
