//! A learner's application for recognition (R6, R15, R16): the form with evidence files, the
//! application's state, deadline and history, and adding evidence when the reviewer asks.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_app::bank::{EvidenceFile, OutcomeInput};
use lifelong_app::AppError;
use lifelong_core::outcome::OutcomeKind;
use lifelong_store::{Evidence, OutcomeId, ReviewEvent, StoredOutcome};

use super::{form_errors, is_form_error, render, Chrome, FieldMessage, Page};
use crate::auth::csrf;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::texts;

texts!(ApplyTexts {
    title: "申请学分认定" | "Apply for recognition",
    lead: "没有机构为您存入的学习成果（如自行考取的职业技能等级证书、在外地修读的课程），可以在这里提交申请并上传证明材料。学分银行一般在 15 个工作日内审核。只有已实名认证的账户可以申请。" | "For an outcome no institution has deposited for you (a skill certificate you took yourself, a course taken elsewhere), apply here with evidence. The credit bank usually decides within 15 working days. Only a verified account may apply.",
    outcome_title: "成果名称" | "Title",
    kind: "成果类型" | "Kind",
    completed_on: "完成或发证日期" | "Completed or issued on",
    hours: "学时（选填）" | "Study hours (optional)",
    credits: "学分（选填）" | "Credits (optional)",
    score: "成绩（选填）" | "Score (optional)",
    certificate_code: "证书代码（选填）" | "Certificate code (optional)",
    certificate_level: "证书等级，1 最高（选填）" | "Certificate level, 1 is highest (optional)",
    course_code: "课程代码（选填）" | "Course code (optional)",
    evidence: "证明材料（PDF、JPG 或 PNG，每份不超过 10 MB，最多 5 份）" | "Evidence (PDF, JPG or PNG, up to 10 MB each, at most 5 files)",
    submit: "提交申请" | "Submit the application",
    status_title: "我的认定申请" | "My application",
    status: "状态" | "Status",
    due: "预计审核截止" | "Decision due",
    submitted: "提交时间" | "Submitted",
    note: "审核意见" | "Reviewer's note",
    files: "已上传材料" | "Evidence uploaded",
    history: "办理记录" | "History",
    add: "补充材料" | "Add evidence",
    add_submit: "上传补充材料" | "Upload the evidence",
    back: "返回我的档案" | "Back to my archive",
    submitted_notice: "申请已提交，您可以在这里查看办理进度。" | "Your application has been submitted; follow its progress here.",
});

/// Application routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/apply", get(form).post(submit))
        .route("/me/applications/{id}", get(status))
        .route("/me/applications/{id}/evidence", post(add_evidence))
}

#[derive(Template)]
#[template(path = "apply.html")]
struct ApplyPage {
    chrome: Chrome,
    p: &'static ApplyTexts,
    form: OutcomeInput,
    errors: Vec<FieldMessage>,
    kinds: &'static [OutcomeKind],
}

impl ApplyPage {
    fn value<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }
}

fn apply_page(page: &Page, form: OutcomeInput, errors: Vec<FieldMessage>) -> ApplyPage {
    let p = ApplyTexts::get(page.lang);
    ApplyPage {
        chrome: page.chrome(p.title),
        p,
        form,
        errors,
        kinds: OutcomeKind::ALL,
    }
}

async fn form(page: Page, signed: SignedIn) -> Result<Response, PageError> {
    signed
        .actor
        .require(lifelong_core::role::Permission::ApplyForCredit)?;
    let form = OutcomeInput {
        kind: "skill_certificate".into(),
        ..Default::default()
    };
    Ok(render(&apply_page(&page, form, Vec::new())))
}

/// Reads a multipart form: its text fields, the evidence files, and checks the CSRF token.
async fn read_form(
    headers: &HeaderMap,
    mut multipart: Multipart,
) -> Result<(Vec<(String, String)>, Vec<EvidenceFile>), PageError> {
    let bad = |_| PageError(AppError::Conflict("form_invalid"));
    let mut fields = Vec::new();
    let mut files = Vec::new();
    let mut token = String::new();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "evidence" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let content_type = field.content_type().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(bad)?.to_vec();
            if !file_name.is_empty() || !bytes.is_empty() {
                files.push(EvidenceFile {
                    file_name,
                    content_type,
                    bytes,
                });
            }
        } else if name == "csrf" {
            token = field.text().await.map_err(bad)?;
        } else {
            fields.push((name, field.text().await.map_err(bad)?));
        }
    }
    csrf::verify(headers, &token)?;
    Ok((fields, files))
}

fn input_of(fields: &[(String, String)]) -> OutcomeInput {
    let get = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let opt = |key: &str| Some(get(key)).filter(|v| !v.trim().is_empty());
    OutcomeInput {
        title: get("title"),
        kind: get("kind"),
        completed_on: get("completed_on"),
        hours: opt("hours"),
        credits: opt("credits"),
        score: opt("score"),
        certificate_code: opt("certificate_code"),
        certificate_level: opt("certificate_level"),
        course_code: opt("course_code"),
        mode: Some("self_study".into()),
        ..Default::default()
    }
}

async fn submit(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let (fields, files) = read_form(&headers, multipart).await?;
    let input = input_of(&fields);
    match state
        .app
        .apply_for_recognition(&signed.actor, &input, &files)
        .await
    {
        Ok(o) => {
            Ok(Redirect::to(&format!("/me/applications/{}?done=submitted", o.id)).into_response())
        }
        Err(e) if is_form_error(&e) => {
            let errors = form_errors(&e, page.lang);
            let mut response = render(&apply_page(&page, input, errors));
            *response.status_mut() = crate::error::status_of(&e);
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "application.html")]
struct StatusPage {
    chrome: Chrome,
    p: &'static ApplyTexts,
    o: StoredOutcome,
    evidence: Vec<Evidence>,
    events: Vec<ReviewEvent>,
    errors: Vec<FieldMessage>,
    notice: bool,
}

async fn show(
    state: &AppState,
    page: &Page,
    signed: &SignedIn,
    id: &OutcomeId,
    errors: Vec<FieldMessage>,
    notice: bool,
) -> Result<StatusPage, PageError> {
    let p = ApplyTexts::get(page.lang);
    let (o, evidence, events) = state.app.my_application(&signed.actor, id).await?;
    Ok(StatusPage {
        chrome: page.chrome(p.status_title),
        p,
        o,
        evidence,
        events,
        errors,
        notice,
    })
}

async fn status(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
    axum::extract::Query(done): axum::extract::Query<super::DoneQuery>,
) -> Result<Response, PageError> {
    let id = OutcomeId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    Ok(render(
        &show(&state, &page, &signed, &id, Vec::new(), done.done.is_some()).await?,
    ))
}

async fn add_evidence(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(id): Path<String>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let id = OutcomeId::parse(&id).ok_or(PageError(AppError::NotFound))?;
    let (_, files) = read_form(&headers, multipart).await?;
    match state.app.add_evidence(&signed.actor, &id, &files).await {
        Ok(_) => Ok(Redirect::to(&format!("/me/applications/{id}")).into_response()),
        Err(e) if is_form_error(&e) && !matches!(e, AppError::NotFound) => {
            let errors = form_errors(&e, page.lang);
            let mut response = render(&show(&state, &page, &signed, &id, errors, false).await?);
            *response.status_mut() = crate::error::status_of(&e);
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}
