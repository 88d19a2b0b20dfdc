//! Conversion pages (学分转换, R16–R23). For the learner: the programmes, and for one of them
//! the best plan on today's rules (which outcome replaces which course under which rule), the
//! caps, the reason in plain words for every outcome not used, the qualification audit, a
//! "what if" form, the application, and the applications with their decisions. The receiving
//! institution's pages are in [`console`].

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use lifelong_app::bank::{ConversionPreview, ConversionRecord, WhatIfInput};
use lifelong_app::AppError;
use lifelong_core::conversion::ExemptionRequest;
use lifelong_core::qualification::CourseStatus;
use lifelong_core::Lang;
use lifelong_store::ConversionApplication;
use serde::Deserialize;

use super::{form_errors, is_form_error, render, Chrome, DoneQuery, FieldMessage, Page};
use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::state::AppState;
use crate::texts;

mod console;

texts!(ConversionTexts {
    title: "学分转换" | "Credit conversion",
    lead: "学分银行认定的学习成果，可以按已发布的转换规则申请免修相应专业的课程，由专业所属院校决定。这里先为您算出最有利的方案。" | "Outcomes the credit bank holds for you can replace courses of a programme under the conversion rules it publishes; the programme's institution decides. Here is the best plan for you first.",
    programmes: "可申请转换的专业" | "Programmes",
    no_programmes: "目前没有开放转换的专业。" | "No programme is open for conversion yet.",
    plan_heading: "可以免修的课程" | "Courses you could be exempted from",
    plan_none: "按今天的规则，您的成果暂时不能免修本专业的课程。" | "On today's rules, none of your outcomes can replace a course of this programme yet.",
    course: "课程" | "Course",
    outcome: "使用的成果" | "Outcome used",
    rule: "转换规则" | "Rule",
    credits: "学分" | "Credits",
    choose: "申请" | "Apply",
    caps_heading: "转换学分上限" | "Caps on converted credits",
    used: "已用" | "Used",
    limit: "上限" | "Cap",
    credits_unit: "学分" | "credits",
    refusals_heading: "未能使用的成果及原因" | "Outcomes not used, and why",
    apply: "提交转换申请" | "Apply for these exemptions",
    apply_hint: "勾选要申请的课程（默认全选）。院校将在规定期限内决定。" | "Tick the courses to apply for (all by default). The institution decides within the set time.",
    open_application: "您在本专业有一份待院校决定的申请，决定后才能再次申请。" | "You have an application waiting for the institution; you can apply again once it is decided.",
    applied: "申请已提交，请等待院校决定。" | "Applied. The institution will decide.",
    audit_heading: "毕业审核" | "Qualification audit",
    earned: "已修得" | "Earned",
    converted: "已免修" | "Exempted",
    missing: "还差" | "Still needed",
    award: "毕业所需" | "Award needs",
    status: "状态" | "Status",
    completed: "已完成" | "Completed",
    exempt: "免考" | "Exempt",
    not_yet: "未完成" | "Not yet",
    applications_heading: "我的转换申请" | "My applications",
    applied_on: "申请日期" | "Applied on",
    due: "决定期限" | "Decision due",
    reason: "院校意见" | "The institution's reason",
    accepted: "同意" | "Accepted",
    refused: "不同意" | "Refused",
    what_if_heading: "如果我再取得一项成果……" | "What if I earned one more outcome…",
    what_if_lead: "描述您正在考虑的成果，看看它能多免修哪些课程。" | "Describe an outcome you are considering and see which courses it would add.",
    kind: "成果类型" | "Kind of outcome",
    certificate_code: "证书代码" | "Certificate code",
    certificate_level: "证书等级（1为最高）" | "Certificate level (1 is highest)",
    course_code: "课程代码" | "Course code",
    source: "出具机构统一社会信用代码" | "Vouching institution's credit code",
    level: "资历级别" | "Level",
    hours: "学时" | "Hours",
    what_if_go: "看看结果" | "Show me",
    what_if_result: "结果" | "Result",
    back: "返回专业列表" | "Back to programmes",
});

/// Conversion routes, for learners and institutions.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/conversion", get(programmes))
        .route("/me/conversion/{programme}", get(preview))
        .route("/me/conversion/{programme}/apply", post(apply))
        .merge(console::router())
}

/// The kinds offered in the "what if" form.
const KINDS: &[lifelong_core::outcome::OutcomeKind] = &[
    lifelong_core::outcome::OutcomeKind::SkillCertificate,
    lifelong_core::outcome::OutcomeKind::VocationalCertificate,
    lifelong_core::outcome::OutcomeKind::ExamCertificate,
    lifelong_core::outcome::OutcomeKind::SelfStudyExam,
    lifelong_core::outcome::OutcomeKind::CourseCredit,
    lifelong_core::outcome::OutcomeKind::Training,
    lifelong_core::outcome::OutcomeKind::OnlineCourse,
];

#[derive(Template)]
#[template(path = "conversion_programmes.html")]
struct ProgrammesPage {
    chrome: Chrome,
    c: &'static ConversionTexts,
    programmes: Vec<(String, String)>,
}

async fn programmes(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
) -> Result<Response, PageError> {
    let c = ConversionTexts::get(page.lang);
    let list = state.app.conversion_programmes(&signed.actor).await?;
    Ok(render(&ProgrammesPage {
        chrome: page.chrome(c.title),
        c,
        programmes: list
            .into_iter()
            .map(|p| {
                (
                    p.programme.code.clone(),
                    p.programme.title.get(page.lang).to_owned(),
                )
            })
            .collect(),
    }))
}

/// A planned exemption as a row.
struct PlanRow {
    pair: String,
    course: String,
    outcome: String,
    rule: String,
    credits: String,
}

/// A cap as a line: label, "已用 x / 上限 y 学分".
struct CapRow {
    label: String,
    used: String,
    limit: String,
}

struct CourseRow {
    code: String,
    title: String,
    credits: String,
    status: &'static str,
    status_class: &'static str,
}

/// A pair of an application and its verdict in words.
pub(crate) struct PairLine {
    pub accepted: bool,
    pub words: String,
}

/// An application as the learner reads it.
pub(crate) struct ApplicationView {
    pub id: String,
    pub status: &'static str,
    pub pending: bool,
    pub applied_on: String,
    pub due_on: String,
    /// Each pair with its verdict in words: the decision's once decided, else the engine's.
    pub pairs: Vec<PairLine>,
    pub reason: Option<String>,
}

pub(crate) fn application_view(a: &ConversionApplication, lang: Lang) -> ApplicationView {
    let record = a
        .decision
        .as_deref()
        .or(Some(a.explanation.as_str()))
        .and_then(ConversionRecord::read);
    ApplicationView {
        id: a.id.to_string(),
        status: a.status.label(lang),
        pending: a.status == lifelong_store::ApplicationStatus::Pending,
        applied_on: lifelong_core::publication::day::format(a.applied_on),
        due_on: lifelong_core::publication::day::format(a.due_on),
        pairs: record
            .as_ref()
            .map(|r| {
                r.pairs
                    .iter()
                    .map(|p| PairLine {
                        accepted: p.accepted,
                        words: p.words.get(lang).to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        reason: record.and_then(|r| r.reason),
    }
}

#[derive(Template)]
#[template(path = "conversion_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    c: &'static ConversionTexts,
    code: String,
    plan: Vec<PlanRow>,
    caps: Vec<CapRow>,
    refusals: Vec<String>,
    audit_summary: String,
    earned: String,
    converted: String,
    missing: String,
    award: String,
    courses: Vec<CourseRow>,
    applications: Vec<ApplicationView>,
    open: bool,
    notice: Option<&'static str>,
    errors: Vec<FieldMessage>,
    kinds: Vec<(&'static str, &'static str)>,
    what_if: WhatIfInput,
    what_if_result: Option<String>,
}

impl PreviewPage {
    /// Whether `value` is the kind chosen in the "what if" form.
    fn kind_selected(&self, value: &str) -> bool {
        self.what_if.kind == value
    }
}

fn preview_page(
    page: &Page,
    p: ConversionPreview,
    errors: Vec<FieldMessage>,
    what_if: WhatIfInput,
    what_if_result: Option<String>,
    notice: Option<&'static str>,
) -> PreviewPage {
    let lang = page.lang;
    let c = ConversionTexts::get(lang);
    let title = format!("{} · {}", c.title, p.programme.programme.title.get(lang));
    let outcome_name = |id: &str| -> String {
        match p.outcome_titles.get(id) {
            Some(t) => format!("{t}（{id}）"),
            None => id.to_owned(),
        }
    };
    let plan = p
        .plan
        .exemptions
        .iter()
        .map(|e| PlanRow {
            pair: format!("{}|{}", e.outcome_id, e.course_code),
            course: format!("{}（{}）", e.course_title.get(lang), e.course_code),
            outcome: outcome_name(&e.outcome_id),
            rule: format!("{} v{}", e.rule_code, e.rule_version),
            credits: e.credits.to_string(),
        })
        .collect();
    let caps = p
        .plan
        .caps
        .iter()
        .map(|cap| CapRow {
            label: cap.label(lang),
            used: cap.used_now.to_string(),
            limit: cap.limit.to_string(),
        })
        .collect();
    let courses = p
        .audit
        .courses
        .iter()
        .map(|course| {
            let (status, status_class) = match course.status {
                CourseStatus::Completed => (c.completed, "accepted"),
                CourseStatus::Exempt => (c.exempt, "exempt"),
                CourseStatus::Missing => (c.not_yet, "pending"),
            };
            CourseRow {
                code: course.code.clone(),
                title: course.title.get(lang).to_owned(),
                credits: course.credits.to_string(),
                status,
                status_class,
            }
        })
        .collect();
    PreviewPage {
        chrome: page.chrome(&title),
        c,
        code: p.programme.programme.code.clone(),
        plan,
        caps,
        refusals: p.plan.refusals.iter().map(|r| r.message(lang)).collect(),
        audit_summary: p.audit.summary(lang),
        earned: p.audit.earned.to_string(),
        converted: p.audit.converted.to_string(),
        missing: p.audit.missing.to_string(),
        award: p.audit.award_credits.to_string(),
        courses,
        open: p.open_application().is_some(),
        applications: p
            .applications
            .iter()
            .map(|a| application_view(a, lang))
            .collect(),
        notice,
        errors,
        kinds: KINDS.iter().map(|k| (k.as_str(), k.label(lang))).collect(),
        what_if,
        what_if_result,
    }
}

#[derive(Deserialize, Default)]
struct PreviewQuery {
    #[serde(default)]
    what_if: Option<String>,
    #[serde(flatten)]
    input: WhatIfInput,
}

async fn preview(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(programme): Path<String>,
    Query(query): Query<PreviewQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let c = ConversionTexts::get(page.lang);
    let preview = state
        .app
        .conversion_preview(&signed.actor, &programme)
        .await?;
    let mut errors = Vec::new();
    let mut result = None;
    if query.what_if.is_some() {
        match state
            .app
            .conversion_what_if(&signed.actor, &programme, &query.input)
            .await
        {
            Ok(w) => result = Some(w.summary(page.lang)),
            Err(e) if is_form_error(&e) => errors = form_errors(&e, page.lang),
            Err(e) => return Err(e.into()),
        }
    }
    let notice = done.done.as_deref().map(|_| c.applied);
    Ok(render(&preview_page(
        &page,
        preview,
        errors,
        query.input,
        result,
        notice,
    )))
}

/// Reads `outcome|course` pairs.
pub(crate) fn pairs_of(values: &[(String, String)], name: &str) -> Vec<ExemptionRequest> {
    values
        .iter()
        .filter(|(k, _)| k == name)
        .filter_map(|(_, v)| v.split_once('|'))
        .map(|(o, c)| ExemptionRequest::new(o.trim(), c.trim()))
        .collect()
}

async fn apply(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Path(programme): Path<String>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let pairs = pairs_of(&form, "pair");
    match state
        .app
        .apply_for_conversion(&signed.actor, &programme, Some(&pairs))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/me/conversion/{}?done=applied",
            super::urlencode(&programme)
        ))
        .into_response()),
        Err(e) if is_form_error(&e) && !matches!(e, AppError::NotFound) => {
            let preview = state
                .app
                .conversion_preview(&signed.actor, &programme)
                .await?;
            let errors = form_errors(&e, page.lang);
            let mut response = render(&preview_page(
                &page,
                preview,
                errors,
                WhatIfInput::default(),
                None,
                None,
            ));
            *response.status_mut() = crate::error::status_of(&e);
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}
