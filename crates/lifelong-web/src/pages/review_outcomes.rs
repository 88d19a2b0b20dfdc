//! The credit bank's review queue of deposits and applications (R15): oldest due first,
//! overdue items marked, each item with its evidence, history and the recognition accepting it
//! would give now (R23); accept, reject with a reason, or ask for more evidence. The form
//! carries the version the reviewer saw, so of two reviewers deciding at once exactly one wins.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_app::bank::{QueueItem, ReviewCase};
use lifelong_app::AppError;
use lifelong_core::review::ReviewAction;
use lifelong_core::role::Permission;
use lifelong_store::{Cursor, EvidenceId, OutcomeId};
use serde::Deserialize;

use super::{form_errors, is_form_error, render, Chrome, DoneQuery, FieldMessage, Page};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::texts;

texts!(QueueTexts {
    title: "成果审核" | "Outcome review",
    lead: "机构存入（非可信机构）和学习者个人申请的成果在此审核。审核期限默认为 15 个工作日，逾期事项以红色标出。" | "Deposits from institutions without a trusted agreement and learners' own applications are reviewed here. A decision is due within 15 working days by default; overdue items are marked in red.",
    overdue_only: "只看逾期" | "Overdue only",
    all_open: "全部待审" | "All open",
    outcome: "成果" | "Outcome",
    origin: "来源" | "Origin",
    status: "状态" | "Status",
    due: "审核截止" | "Due",
    submitted: "提交时间" | "Submitted",
    overdue: "已逾期" | "Overdue",
    empty: "没有待审核的事项。" | "Nothing waits for review.",
    more: "下一页" | "Next page",
    open: "审核" | "Review",
    case_title: "审核成果" | "Review an outcome",
    facts: "成果信息" | "The outcome",
    kind: "类型" | "Kind",
    completed_on: "完成日期" | "Completed",
    hours: "学时" | "Hours",
    credits: "学分" | "Credits",
    score: "成绩" | "Score",
    certificate: "证书" | "Certificate",
    course: "课程代码" | "Course code",
    external_id: "机构记录编号" | "Record id",
    evidence: "证明材料" | "Evidence",
    no_evidence: "没有上传证明材料。" | "No evidence was uploaded.",
    history: "审核记录" | "History",
    preview: "如果通过，将按现行认定标准：" | "If accepted, under the standards in force:",
    decide: "审核结论" | "Decision",
    note: "理由（不通过或要求补充材料时必填，申请人可见）" | "Reason (needed to reject or ask for evidence; the applicant reads it)",
    accept: "通过并入档" | "Accept into the archive",
    reject: "不通过" | "Reject",
    request: "要求补充材料" | "Ask for more evidence",
    decided: "已审核。" | "Decided.",
    back: "返回审核队列" | "Back to the queue",
    decided_note: "审核意见" | "Reviewer's note",
    revoke_heading: "撤销" | "Revoke",
    revoke_lead: "撤销后该成果及其学分认定不再计入学员档案；原记录保留，档案中追加一条撤销记录。" | "Once revoked, the outcome and its recognition no longer count; the original entries stay and a revocation entry is appended to the archive.",
    revoke_reason: "撤销理由（学员可见）" | "Reason (the learner reads it)",
    revoke: "撤销该成果" | "Revoke this outcome",
    revoke_confirm: "确定撤销该成果吗？" | "Revoke this outcome?",
});

/// Review routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/review/outcomes", get(queue))
        .route("/review/outcomes/{id}", get(case))
        .route("/review/outcomes/{id}/decide", post(decide))
        .route("/review/outcomes/{id}/revoke", post(revoke))
        .route("/review/evidence/{id}", get(evidence))
}

#[derive(Deserialize, Default)]
struct QueueQuery {
    #[serde(default)]
    overdue: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "review_outcomes.html")]
struct QueuePage {
    chrome: Chrome,
    q: &'static QueueTexts,
    items: Vec<QueueItem>,
    next: Option<String>,
    overdue_only: bool,
    notice: Option<&'static str>,
}

async fn queue(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(query): Query<QueueQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let q = QueueTexts::get(page.lang);
    let overdue_only = query.overdue.as_deref() == Some("1");
    let result = state
        .app
        .review_queue(
            &signed.actor,
            overdue_only,
            &Cursor::new(query.cursor, Some(50)),
        )
        .await?;
    Ok(render(&QueuePage {
        chrome: page.chrome(q.title),
        q,
        items: result.items,
        next: result.next,
        overdue_only,
        notice: done.done.as_deref().map(|_| q.decided),
    }))
}

#[derive(Template)]
#[template(path = "review_outcome.html")]
struct CasePage {
    chrome: Chrome,
    q: &'static QueueTexts,
    c: ReviewCase,
    note: String,
    errors: Vec<FieldMessage>,
}

async fn show_case(
    state: &AppState,
    page: &Page,
    signed: &SignedIn,
    id: &OutcomeId,
    note: String,
    errors: Vec<FieldMessage>,
) -> Result<CasePage, PageError> {
    let q = QueueTexts::get(page.lang);
    let c = state.app.review_case(&signed.actor, id, page.lang).await?;
    Ok(CasePage {
        chrome: page.chrome(q.case_title),
        q,
        c,
        note,
        errors,
    })
}

async fn case(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = OutcomeId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    Ok(render(
        &show_case(&state, &page, &signed, &id, String::new(), Vec::new()).await?,
    ))
}

#[derive(Deserialize)]
struct DecideForm {
    action: String,
    #[serde(default)]
    note: String,
    version: i64,
}

async fn decide(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> Result<Response, PageError> {
    let id = OutcomeId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    let action =
        ReviewAction::parse(&form.action).ok_or(PageError(AppError::Conflict("form_invalid")))?;
    match state
        .app
        .decide_outcome(&signed.actor, &id, form.version, action, &form.note)
        .await
    {
        Ok(_) => Ok(Redirect::to("/review/outcomes?done=decided").into_response()),
        Err(e) if is_form_error(&e) && !matches!(e, AppError::NotFound) => {
            let errors = form_errors(&e, page.lang);
            let mut response =
                render(&show_case(&state, &page, &signed, &id, form.note, errors).await?);
            *response.status_mut() = crate::error::status_of(&e);
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct RevokeForm {
    #[serde(default)]
    note: String,
}

async fn revoke(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<Response, PageError> {
    let id = OutcomeId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    match state
        .app
        .revoke_outcome(&signed.actor, &id, &form.note)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/review/outcomes/{id}")).into_response()),
        Err(e) if is_form_error(&e) && !matches!(e, AppError::NotFound) => {
            let errors = form_errors(&e, page.lang);
            let mut response =
                render(&show_case(&state, &page, &signed, &id, form.note, errors).await?);
            *response.status_mut() = crate::error::status_of(&e);
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

async fn evidence(
    State(state): State<AppState>,
    signed: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ReviewOutcomes)?;
    let id = EvidenceId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    let (meta, content) = state.app.evidence_content(&signed.actor, &id).await?;
    let disposition = format!(
        "attachment; filename=\"evidence-{}.{}\"",
        meta.id,
        extension(&meta.content_type)
    );
    Ok((
        [
            (header::CONTENT_TYPE, meta.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        content,
    )
        .into_response())
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    }
}
