//! The audit log (审计日志), newest first, filtered by action prefix and target id. Records
//! hold identifiers and codes, never personal data, and this page shows nothing else.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use lifelong_core::Lang;
use lifelong_store::{AuditEntry, AuditFilter, AuditOutcome, Cursor};
use serde::Deserialize;

use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::pages::review::utc;
use crate::pages::{render, urlencode, Chrome, Page};
use crate::state::AppState;
use crate::texts;

texts!(AuditTexts {
    title: "审计日志" | "Audit log",
    lead: "谁在何时做了什么、结果如何。日志只记录编号和代码，不含个人信息。" | "Who did what, when, and how it ended. The log holds identifiers and codes only, never personal data.",
    filter_heading: "筛选" | "Filter",
    action: "操作（开头）" | "Action (starts with)",
    action_hint: "例如 account. 表示所有账户操作，account.verify 表示实名核验。" | "For example account. for every account action, account.verify for verifications.",
    target: "对象编号" | "Target id",
    target_hint: "完整的编号，例如某个账户的编号。" | "The whole id, for example an account's.",
    filter_submit: "筛选" | "Filter",
    clear: "清除筛选" | "Clear the filter",
    table_caption: "审计记录（最新的在前）" | "Audit records, newest first",
    time: "时间（UTC）" | "Time (UTC)",
    actor_role: "操作人角色" | "Actor's role",
    actor: "操作人编号" | "Actor id",
    action_col: "操作" | "Action",
    target_col: "对象" | "Target",
    outcome: "结果" | "Outcome",
    request: "请求编号" | "Request id",
    system: "系统" | "System",
    via: "经由机构接口" | "Via the API of institution",
    outcome_ok: "成功" | "Done",
    outcome_denied: "拒绝" | "Refused",
    outcome_failed: "失败" | "Failed",
    none: "—" | "—",
});

/// Audit routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(list_audit))
}

/// The longest filter text kept (action names and ids are short).
const FILTER_MAX: usize = 100;

/// One audit record as a row.
struct AuditRow {
    time: String,
    actor_role: &'static str,
    actor: String,
    via: Option<String>,
    action: String,
    target_kind: String,
    target_id: String,
    outcome: &'static str,
    outcome_label: &'static str,
    request_id: String,
}

impl AuditRow {
    fn of(entry: &AuditEntry, lang: Lang, a: &'static AuditTexts) -> Self {
        let outcome_label = match entry.outcome {
            AuditOutcome::Ok => a.outcome_ok,
            AuditOutcome::Denied => a.outcome_denied,
            AuditOutcome::Failed => a.outcome_failed,
        };
        AuditRow {
            time: utc(entry.at),
            actor_role: entry.actor_role.map_or(a.system, |r| r.label(lang)),
            actor: entry
                .actor
                .as_ref()
                .map_or_else(|| a.none.to_owned(), |u| u.to_string()),
            via: entry.via_institution.as_ref().map(|i| i.to_string()),
            action: entry.action.clone(),
            target_kind: entry.target_kind.clone(),
            target_id: entry.target_id.clone(),
            outcome: entry.outcome.as_str(),
            outcome_label,
            request_id: entry.request_id.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    chrome: Chrome,
    a: &'static AuditTexts,
    action: String,
    target: String,
    rows: Vec<AuditRow>,
    next: Option<String>,
    paged: bool,
    filtered: bool,
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    target: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

/// A filter field: trimmed, bounded, and absent when empty.
fn filter_text(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().chars().take(FILTER_MAX).collect::<String>())
        .filter(|t| !t.is_empty())
}

async fn list_audit(
    State(state): State<AppState>,
    page: Page,
    SignedIn { actor, .. }: SignedIn,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let filter = AuditFilter {
        actor: None,
        action_prefix: filter_text(q.action),
        target_id: filter_text(q.target),
    };
    let cursor = Cursor::new(q.cursor, None);
    let found = state.app.list_audit(&actor, &filter, &cursor).await?;
    let a = AuditTexts::get(page.lang);
    let action = filter.action_prefix.unwrap_or_default();
    let target = filter.target_id.unwrap_or_default();
    let next = found.next.map(|next| {
        format!(
            "/admin/audit?action={}&target={}&cursor={}",
            urlencode(&action),
            urlencode(&target),
            urlencode(&next)
        )
    });
    let view = AuditPage {
        chrome: page.chrome(a.title),
        a,
        rows: found
            .items
            .iter()
            .map(|e| AuditRow::of(e, page.lang, a))
            .collect(),
        next,
        paged: cursor.after.is_some(),
        filtered: !action.is_empty() || !target.is_empty(),
        action,
        target,
    };
    Ok(render(&view))
}

#[cfg(test)]
mod tests {
    use super::filter_text;

    #[test]
    fn empty_filters_are_absent_and_long_ones_bounded() {
        assert_eq!(filter_text(None), None);
        assert_eq!(filter_text(Some("  ".into())), None);
        assert_eq!(
            filter_text(Some(" account. ".into())),
            Some("account.".into())
        );
        assert_eq!(
            filter_text(Some("x".repeat(500))).map(|t| t.len()),
            Some(100)
        );
    }
}
