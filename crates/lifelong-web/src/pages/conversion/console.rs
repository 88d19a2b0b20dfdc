//! The receiving institution's conversion pages (R16): the queue of applications into its
//! programmes (overdue marked), one application with the engine's current verdict on every
//! pair, the decision (a `version` field so that of two deciders exactly one wins), and the
//! cohort audit of its learners, as a table or CSV. Another institution's application is not
//! found.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_app::bank::{CohortAudit, ConversionQueueItem, ConversionRecord, ConversionReview};
use lifelong_app::AppError;
use lifelong_core::Lang;
use lifelong_store::{ApplicationId, ApplicationStatus, Cursor};
use serde::Deserialize;

use super::{application_view, pairs_of, ApplicationView};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::pages::{form_errors, is_form_error, render, Chrome, DoneQuery, FieldMessage, Page};
use crate::state::AppState;
use crate::texts;

texts!(ConsoleTexts {
    title: "转换申请" | "Conversion applications",
    lead: "学习者申请以学分银行认定的成果免修本院校专业的课程。系统已按申请日有效的转换规则和上限逐项核对，请作出决定。逾期事项以红色标出。" | "Learners apply to have outcomes the credit bank holds replace courses of your programmes. Each pair is checked against the rules in force on the application date and the caps; please decide. Overdue items are marked in red.",
    pending: "待决定" | "Waiting",
    decided: "已决定" | "Decided",
    programme: "专业" | "Programme",
    applied_on: "申请日期" | "Applied on",
    due: "决定期限" | "Due",
    pairs: "申请课程数" | "Courses asked for",
    overdue: "已逾期" | "Overdue",
    empty: "没有转换申请。" | "No applications.",
    open: "处理" | "Open",
    more: "下一页" | "Next page",
    done: "已作出决定。" | "Decided.",
    cohort_heading: "毕业审核（全体学习者）" | "Cohort qualification audit",
    case_title: "转换申请" | "Conversion application",
    learner: "学习者" | "Learner",
    status: "状态" | "Status",
    current: "系统核对结果（按申请日有效的规则，计入已有免修）" | "The engine's verdicts (rules in force on the application date, exemptions held counted)",
    accept: "同意" | "Accept",
    pass: "可以免修" | "Can be exempted",
    fail: "不能免修" | "Cannot be exempted",
    reason: "不同意的理由（有不同意的课程时必填，申请人可见）" | "Reason for refusing (needed when you refuse a course; the applicant reads it)",
    decide: "提交决定" | "Decide",
    decision: "决定" | "Decision",
    back: "返回申请列表" | "Back to the applications",
    cohort_title: "毕业审核" | "Qualification audit",
    earned: "已修得" | "Earned",
    converted: "免修" | "Exempted",
    missing: "还差" | "Still needed",
    compulsory_missing: "未完成必修课" | "Compulsory courses missing",
    awardable: "可毕业" | "Awardable",
    yes: "是" | "yes",
    no: "否" | "no",
    csv: "下载 CSV" | "Download CSV",
    no_learners: "本院校还没有学习者。" | "No learners yet.",
});

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console/conversions", get(queue))
        .route("/console/conversions/{id}", get(case))
        .route("/console/conversions/{id}/decide", post(decide))
        .route("/console/conversions/cohort/{programme}", get(cohort))
}

#[derive(Deserialize, Default)]
struct QueueQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "conversion_queue.html")]
struct QueuePage {
    chrome: Chrome,
    q: &'static ConsoleTexts,
    items: Vec<ConversionQueueItem>,
    decided: bool,
    next: Option<String>,
    notice: Option<&'static str>,
    programmes: Vec<(String, String)>,
}

async fn queue(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(query): Query<QueueQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let q = ConsoleTexts::get(page.lang);
    let decided = query.status.as_deref() == Some("decided");
    let status = if decided {
        ApplicationStatus::Decided
    } else {
        ApplicationStatus::Pending
    };
    let result = state
        .app
        .conversion_queue(
            &signed.actor,
            Some(status),
            &Cursor::new(query.cursor, Some(50)),
        )
        .await?;
    let programmes = state
        .app
        .own_programmes(&signed.actor)
        .await?
        .into_iter()
        .map(|p| {
            (
                p.programme.code.clone(),
                p.programme.title.get(page.lang).to_owned(),
            )
        })
        .collect();
    Ok(render(&QueuePage {
        chrome: page.chrome(q.title),
        q,
        items: result.items,
        decided,
        next: result.next,
        notice: done.done.as_deref().map(|_| q.done),
        programmes,
    }))
}

/// A requested pair with the engine's current verdict, for the decision form.
struct PairRow {
    value: String,
    pass: bool,
    words: String,
}

#[derive(Template)]
#[template(path = "conversion_case.html")]
struct CasePage {
    chrome: Chrome,
    q: &'static ConsoleTexts,
    id: String,
    version: i64,
    programme: String,
    learner: String,
    pending: bool,
    overdue: bool,
    view: ApplicationView,
    rows: Vec<PairRow>,
    caps: Vec<String>,
    reason: String,
    errors: Vec<FieldMessage>,
}

fn case_page(
    page: &Page,
    r: ConversionReview,
    reason: String,
    errors: Vec<FieldMessage>,
) -> CasePage {
    let lang = page.lang;
    let q = ConsoleTexts::get(lang);
    let rows = rows_of(&r.current, lang);
    CasePage {
        chrome: page.chrome(q.case_title),
        q,
        id: r.application.id.to_string(),
        version: r.application.version,
        programme: format!("{}（{}）", r.programme.title.get(lang), r.programme.code),
        learner: r.learner.name.to_string(),
        pending: r.application.status == ApplicationStatus::Pending,
        overdue: r.overdue,
        view: application_view(&r.application, lang),
        caps: r
            .current
            .caps
            .iter()
            .map(|c| c.get(lang).to_owned())
            .collect(),
        rows,
        reason,
        errors,
    }
}

fn rows_of(record: &ConversionRecord, lang: Lang) -> Vec<PairRow> {
    record
        .pairs
        .iter()
        .map(|p| PairRow {
            value: format!("{}|{}", p.outcome_id, p.course_code),
            pass: p.accepted,
            words: p.words.get(lang).to_owned(),
        })
        .collect()
}

fn parse_id(id: &str) -> Result<ApplicationId, PageError> {
    ApplicationId::parse(id).ok_or(PageError(AppError::NotFound))
}

async fn case(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let review = state.app.conversion_review(&signed.actor, &id).await?;
    Ok(render(&case_page(&page, review, String::new(), Vec::new())))
}

async fn decide(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let version: i64 = field("version")
        .parse()
        .map_err(|_| PageError(AppError::Conflict("form_invalid")))?;
    let reason = field("reason");
    let accept = pairs_of(&form, "accept");
    match state
        .app
        .decide_conversion(&signed.actor, &id, version, &accept, &reason)
        .await
    {
        Ok(_) => Ok(Redirect::to("/console/conversions?done=decided").into_response()),
        Err(e) if is_form_error(&e) && !matches!(e, AppError::NotFound) => {
            let review = state.app.conversion_review(&signed.actor, &id).await?;
            let errors = form_errors(&e, page.lang);
            let mut response = render(&case_page(&page, review, reason, errors));
            *response.status_mut() = crate::error::status_of(&e);
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct CohortQuery {
    #[serde(default)]
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "conversion_cohort.html")]
struct CohortPage {
    chrome: Chrome,
    q: &'static ConsoleTexts,
    code: String,
    rows: Vec<[String; 6]>,
}

fn cohort_rows(audit: &CohortAudit, lang: Lang) -> Vec<[String; 6]> {
    let q = ConsoleTexts::get(lang);
    audit
        .rows
        .iter()
        .map(|(account, row)| {
            [
                format!("{}（{}）", account.name, account.id_number_masked),
                row.tally.earned.to_string(),
                row.tally.converted.to_string(),
                row.tally.missing.to_string(),
                row.tally.compulsory_missing.to_string(),
                if row.tally.awardable { q.yes } else { q.no }.to_owned(),
            ]
        })
        .collect()
}

async fn cohort(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(programme): Path<String>,
    Query(query): Query<CohortQuery>,
) -> Result<Response, PageError> {
    let q = ConsoleTexts::get(page.lang);
    let audit = state.app.cohort_audit(&signed.actor, &programme).await?;
    let rows = cohort_rows(&audit, page.lang);
    if query.format.as_deref() == Some("csv") {
        let mut out = String::from("\u{feff}");
        let head = [
            q.learner,
            q.earned,
            q.converted,
            q.missing,
            q.compulsory_missing,
            q.awardable,
        ];
        out.push_str(&head.join(","));
        out.push('\n');
        for row in &rows {
            let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        let disposition = format!(
            "attachment; filename=\"cohort-{}.csv\"",
            audit.programme.code
        );
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            out,
        )
            .into_response());
    }
    let title = format!(
        "{} · {}",
        q.cohort_title,
        audit.programme.title.get(page.lang)
    );
    Ok(render(&CohortPage {
        chrome: page.chrome(&title),
        q,
        code: audit.programme.code.clone(),
        rows,
    }))
}

/// A CSV cell, quoted when it must be, and never read as a formula by a spreadsheet.
fn csv_cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}
