//! The maintenance page (reviewers, R13, R17): what the catalog holds, the drafts waiting to
//! be published (see `publish`), and importing a catalog file — uploaded or pasted — all or
//! nothing.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_app::AppError;
use lifelong_core::programme::ConversionRule;
use lifelong_core::publication::{day, PublicationStatus, Window};
use lifelong_core::recognition::RecognitionStandard;
use lifelong_core::role::Permission;
use lifelong_core::unit::Unit;
use lifelong_core::Lang;
use lifelong_store::Versioned;
use serde::Deserialize;

use super::window_text;
use crate::auth::csrf;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::pages::{form_errors, is_form_error, render, urlencode, Chrome, FieldMessage, Page};
use crate::state::AppState;
use crate::texts;

texts!(ManageTexts {
    title: "维护学分银行目录" | "Maintain the credit bank catalog",
    lead: "在这里导入认证单元、认定标准、专业和转换规则，并发布草稿。已发布的版本不能再修改；要修改，请在目录文件中写一个新版本（状态为草稿），导入后在下面发布。" | "Import accreditation units, recognition standards, programmes and conversion rules here, and publish drafts. A published version can never be changed: to change one, write a new version (status draft) in a catalog file, import it, then publish it below.",
    back: "返回学分银行" | "Back to the credit bank",
    colon: "：" | ": ",
    calendar_link: "工作日历" | "Working-day calendar",
    problems: "未能完成，请查看以下问题：" | "This was not done. Please look at the following:",
    summary_heading: "目录现有内容" | "What the catalog holds",
    units: "认证单元（各版本）" | "Accreditation units (all versions)",
    standards: "认定标准（各版本）" | "Recognition standards (all versions)",
    programmes: "专业" | "Programmes",
    rules: "转换规则（各版本）" | "Conversion rules (all versions)",
    import_heading: "导入目录文件" | "Import a catalog file",
    import_lead: "目录文件为 TOML 格式，可以包含 [[units]]、[[standards]]、[[programmes]] 和 [[rules]]。文件要么全部导入，要么一项也不导入；与现有内容完全相同的项目会跳过。专业所属的院校须已在平台登记。" | "A catalog file is TOML and may hold [[units]], [[standards]], [[programmes]] and [[rules]]. Either all of the file is imported or none of it; items identical to what is already there are skipped. The school of each programme must already be registered.",
    file_label: "目录文件（.toml）" | "Catalog file (.toml)",
    file_hint: "UTF-8 编码的文本文件。" | "A UTF-8 text file.",
    import_file: "导入文件" | "Import the file",
    paste_heading: "或者粘贴目录内容" | "Or paste the catalog",
    paste_label: "目录内容（TOML）" | "Catalog (TOML)",
    import_text: "导入粘贴的内容" | "Import what is pasted",
    nothing_to_import: "请选择目录文件，或粘贴目录内容。" | "Choose a catalog file, or paste the catalog.",
    not_utf8: "目录文件须为 UTF-8 编码的文本（TOML）。" | "The catalog file must be UTF-8 text (TOML).",
    unknown_institution: "目录中有专业所属的院校尚未在平台登记（按统一社会信用代码查找）。请先登记该院校，再导入。" | "A programme in the catalog belongs to a school that is not registered (looked up by unified social credit code). Register the school first, then import.",
    drafts_heading: "待发布的草稿" | "Drafts to publish",
    drafts_lead: "草稿发布后不能再修改。新版本从生效日期起替代同一编码正在使用的版本，旧版本的有效期到前一天为止，仍适用于那之前取得的成果。日期已按草稿中写的填好，可以修改。" | "Once published, a draft can no longer be changed. From its start date the new version replaces the version of the same code in use; the old one stays in force up to the day before, for outcomes achieved until then. The dates written in the draft are filled in; change them if needed.",
    no_drafts: "没有草稿。" | "No drafts.",
    kind_unit: "认证单元" | "Accreditation unit",
    kind_standard: "认定标准" | "Recognition standard",
    kind_rule: "转换规则" | "Conversion rule",
    version_prefix: "第" | "version ",
    version_suffix: "版" | "",
    current: "现行版本" | "Version in use",
    no_current: "无（首次发布）" | "None (first publication)",
    view: "查看" | "View",
    from_label: "生效日期" | "Start date",
    until_label: "截止日期" | "End date",
    date_hint: "格式：年-月-日，例如 2026-09-01。" | "As year-month-day, for example 2026-09-01.",
    until_hint: "不填则一直有效，直到被新版本替代。" | "Leave empty to keep it in force until a new version replaces it.",
    publish: "发布" | "Publish",
    publish_confirm: "发布后不能再修改，确定发布吗？" | "A published version can no longer be changed. Publish it?",
    published: "已发布。" | "Published.",
    drafted: "草稿已保存。请在下面的“待发布的草稿”中填好生效日期后发布。" | "The draft is saved. Publish it below under “Drafts to publish”, once its start date is right.",
    one_heading: "逐项维护" | "Maintain items one at a time",
    one_lead: "也可以在表单中逐项新建或修改：保存后是草稿，在下面发布。" | "Items can also be created or changed one at a time on forms: what is saved is a draft, published below.",
    new_unit: "新建认证单元" | "New accreditation unit",
    new_standard: "新建认定标准" | "New recognition standard",
    new_rule: "新建转换规则" | "New conversion rule",
    new_programme: "新建专业" | "New programme",
    edit_framework: "编辑资历框架" | "Edit the qualifications framework",
    published_superseding: "已发布。同一编码之前发布的版本已标为“已被替代”，有效期到新版本生效的前一天。" | "Published. The version of the same code published before is now marked superseded; it stays in force up to the day before the new one starts.",
    from_required: "请填写生效日期。" | "Enter the start date.",
    bad_date: "请按“年-月-日”填写日期，例如 2026-09-01。" | "Enter the date as year-month-day, for example 2026-09-01.",
});

/// A refusal to show at the top of the page, linking to the field it concerns.
pub struct Problem {
    pub anchor: String,
    pub message: String,
}

/// A draft waiting to be published.
pub struct Draft {
    what: &'static str,
    kind: &'static str,
    code: String,
    version: u32,
    title: String,
    current: String,
    href: String,
    /// Unique within the page, for the ids of the draft's form fields.
    key: String,
    /// The window written in the draft, offered as the publish form's values.
    from: String,
    until: String,
}

/// A publish form sent back with its errors.
pub(super) struct Attempt {
    pub(super) key: String,
    pub(super) from: String,
    pub(super) until: String,
    pub(super) errors: Vec<FieldMessage>,
}

/// How many items of each kind the catalog holds.
struct Counts {
    units: usize,
    standards: usize,
    programmes: usize,
    rules: usize,
}

#[derive(Template)]
#[template(path = "bank_manage.html")]
struct ManagePage {
    chrome: Chrome,
    m: &'static ManageTexts,
    counts: Counts,
    drafts: Vec<Draft>,
    notice: Option<String>,
    problems: Vec<Problem>,
    import_error: Option<String>,
    text: String,
    attempt: Option<Attempt>,
}

impl ManagePage {
    /// The error of a draft's field, when that draft's form came back refused.
    fn publish_error(&self, key: &str, field: &str) -> Option<&str> {
        self.attempt
            .as_ref()
            .filter(|a| a.key == key)
            .and_then(|a| a.errors.iter().find(|e| e.field == field))
            .map(|e| e.message.as_str())
    }

    /// The value of a draft's date field: what was typed when the form came back refused,
    /// else the window written in the draft.
    fn publish_value<'a>(&'a self, draft: &'a Draft, field: &str) -> &'a str {
        match (self.attempt.as_ref().filter(|a| a.key == draft.key), field) {
            (Some(a), "from") => &a.from,
            (Some(a), "until") => &a.until,
            (None, "from") => &draft.from,
            (None, "until") => &draft.until,
            _ => "",
        }
    }
}

/// What the page shows besides the catalog.
#[derive(Default)]
pub(super) struct ManageState {
    pub(super) notice: Option<String>,
    pub(super) problems: Vec<Problem>,
    pub(super) import_error: Option<String>,
    pub(super) text: String,
    pub(super) attempt: Option<Attempt>,
}

pub(super) fn versioned_from(what: &str) -> Option<Versioned> {
    match what {
        "unit" => Some(Versioned::Unit),
        "standard" => Some(Versioned::Standard),
        "rule" => Some(Versioned::Rule),
        _ => None,
    }
}

pub(super) fn draft_key(what: &str, code: &str, version: u32) -> String {
    format!("{what}-{code}-{version}")
}

/// The published version in use among `versions` of one code, in words.
fn current_text(
    m: &ManageTexts,
    lang: Lang,
    versions: impl Iterator<Item = (u32, PublicationStatus, Window)>,
) -> String {
    versions
        .filter(|(_, status, _)| *status == PublicationStatus::Published)
        .max_by_key(|(version, _, _)| *version)
        .map(|(version, _, window)| {
            format!(
                "{}{version}{}{}{}",
                m.version_prefix,
                m.version_suffix,
                lang.pick("，", ", "),
                window_text(&window, lang)
            )
        })
        .unwrap_or_else(|| m.no_current.to_owned())
}

/// The drafts among everything, each with the version it would replace.
fn drafts(
    m: &'static ManageTexts,
    lang: Lang,
    units: &[Unit],
    standards: &[RecognitionStandard],
    rules: &[ConversionRule],
) -> Vec<Draft> {
    let mut out = Vec::new();
    for u in units
        .iter()
        .filter(|u| u.status == PublicationStatus::Draft)
    {
        let same = units.iter().filter(|x| x.code == u.code);
        out.push(Draft {
            what: "unit",
            kind: m.kind_unit,
            code: u.code.clone(),
            version: u.version,
            title: u.title.get(lang).to_owned(),
            current: current_text(m, lang, same.map(|x| (x.version, x.status, x.window))),
            href: format!("/bank/units/{}", urlencode(&u.code)),
            key: draft_key("unit", &u.code, u.version),
            from: day::format(u.window.from),
            until: u.window.until.map(day::format).unwrap_or_default(),
        });
    }
    for s in standards
        .iter()
        .filter(|s| s.status == PublicationStatus::Draft)
    {
        let same = standards.iter().filter(|x| x.code == s.code);
        out.push(Draft {
            what: "standard",
            kind: m.kind_standard,
            code: s.code.clone(),
            version: s.version,
            title: s.title.get(lang).to_owned(),
            current: current_text(m, lang, same.map(|x| (x.version, x.status, x.window))),
            href: format!("/bank/standards?q={}", urlencode(&s.code)),
            key: draft_key("standard", &s.code, s.version),
            from: day::format(s.window.from),
            until: s.window.until.map(day::format).unwrap_or_default(),
        });
    }
    for r in rules
        .iter()
        .filter(|r| r.status == PublicationStatus::Draft)
    {
        let same = rules.iter().filter(|x| x.code == r.code);
        out.push(Draft {
            what: "rule",
            kind: m.kind_rule,
            code: r.code.clone(),
            version: r.version,
            title: r.title.get(lang).to_owned(),
            current: current_text(m, lang, same.map(|x| (x.version, x.status, x.window))),
            href: format!(
                "/bank/programmes/{}#{}-v{}",
                urlencode(&r.programme_code),
                r.code,
                r.version
            ),
            key: draft_key("rule", &r.code, r.version),
            from: day::format(r.window.from),
            until: r.window.until.map(day::format).unwrap_or_default(),
        });
    }
    out
}

/// The page with the catalog's drafts and counts, plus `extra`, answered with `status`.
pub(super) async fn manage_page(
    state: &AppState,
    page: &Page,
    extra: ManageState,
    status: StatusCode,
) -> Result<Response, PageError> {
    let m = ManageTexts::get(page.lang);
    let units = state.app.units(None).await?;
    let standards = state.app.standards().await?;
    let rules = state.app.conversion_rules(None).await?;
    let programmes = state.app.programmes().await?.len();
    let mut response = render(&ManagePage {
        chrome: page.chrome(m.title),
        m,
        counts: Counts {
            units: units.len(),
            standards: standards.len(),
            programmes,
            rules: rules.len(),
        },
        drafts: drafts(m, page.lang, &units, &standards, &rules),
        notice: extra.notice,
        problems: extra.problems,
        import_error: extra.import_error,
        text: extra.text,
        attempt: extra.attempt,
    });
    *response.status_mut() = status;
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct ManageQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    added: Option<String>,
    #[serde(default)]
    unchanged: Option<String>,
}

fn imported_text(lang: Lang, added: u32, unchanged: u32) -> String {
    match lang {
        Lang::Zh => {
            format!("导入完成：新增或更新 {added} 项，与现有内容相同而跳过 {unchanged} 项。")
        }
        Lang::En => format!(
            "Imported: {added} items added or updated, {unchanged} identical items skipped."
        ),
    }
}

/// `GET /bank/manage`: import and publish (reviewers).
pub async fn manage(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<ManageQuery>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let m = ManageTexts::get(page.lang);
    let count = |v: &Option<String>| {
        v.as_deref()
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let notice = match q.done.as_deref() {
        Some("imported") => Some(imported_text(
            page.lang,
            count(&q.added),
            count(&q.unchanged),
        )),
        Some("published") => Some(m.published.to_owned()),
        Some("drafted") => Some(m.drafted.to_owned()),
        Some("superseded") => Some(m.published_superseding.to_owned()),
        _ => None,
    };
    let extra = ManageState {
        notice,
        ..Default::default()
    };
    manage_page(&state, &page, extra, StatusCode::OK).await
}

/// What the import form sent.
struct ImportForm {
    file: Vec<u8>,
    text: String,
}

/// Reads the multipart import form and checks its CSRF token.
async fn read_import(
    headers: &HeaderMap,
    mut multipart: Multipart,
) -> Result<ImportForm, PageError> {
    let mut token = String::new();
    let mut form = ImportForm {
        file: Vec::new(),
        text: String::new(),
    };
    let bad = |_| PageError(AppError::Conflict("form_invalid"));
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name() {
            Some("csrf") => token = field.text().await.map_err(bad)?,
            Some("file") => form.file = field.bytes().await.map_err(bad)?.to_vec(),
            Some("text") => form.text = field.text().await.map_err(bad)?,
            _ => {}
        }
    }
    csrf::verify(headers, &token)?;
    Ok(form)
}

/// `POST /bank/import`: imports an uploaded or pasted catalog, all or nothing.
pub async fn import(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let m = ManageTexts::get(page.lang);
    let form = read_import(&headers, multipart).await?;
    let pasted = form.file.is_empty();
    let anchor = if pasted { "text" } else { "file" };
    let (state_ref, page_ref) = (&state, &page);
    let refuse = |message: String, text: String, status: StatusCode| async move {
        let extra = ManageState {
            // The summary gets the first line; a parser's pointer to the spot stays below.
            problems: vec![Problem {
                anchor: anchor.to_owned(),
                message: message.lines().next().unwrap_or_default().to_owned(),
            }],
            import_error: Some(message),
            text,
            ..Default::default()
        };
        manage_page(state_ref, page_ref, extra, status).await
    };
    let text = if pasted {
        form.text.clone()
    } else {
        match String::from_utf8(form.file) {
            Ok(t) => t,
            Err(_) => {
                return refuse(
                    m.not_utf8.to_owned(),
                    String::new(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
        }
    };
    let toml = text.trim_start_matches('\u{feff}');
    if toml.trim().is_empty() {
        return refuse(
            m.nothing_to_import.to_owned(),
            String::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let kept = if pasted { form.text } else { String::new() };
    match state.app.import_catalog(&signed.actor, toml).await {
        Ok(counts) => {
            tracing::info!(
                added = counts.added,
                unchanged = counts.unchanged,
                "catalog imported from the web"
            );
            Ok(Redirect::to(&format!(
                "/bank/manage?done=imported&added={}&unchanged={}",
                counts.added, counts.unchanged
            ))
            .into_response())
        }
        // The store names an unknown school only as "not found"; say what it means here.
        Err(AppError::NotFound) => {
            refuse(
                m.unknown_institution.to_owned(),
                kept,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) if is_form_error(&e) => {
            let message = form_errors(&e, page.lang)
                .into_iter()
                .map(|f| f.message)
                .collect::<Vec<_>>()
                .join(" ");
            refuse(message, kept, crate::error::status_of(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}
