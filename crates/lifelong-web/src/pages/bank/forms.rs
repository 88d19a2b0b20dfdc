//! What the catalog's edit forms share: the submitted fields as name–value pairs (so check
//! boxes and per-level fields need no struct of their own), errors by field, the inputs a
//! form shows — each with its label, hint and messages — and the one template that renders
//! them.

mod read;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use lifelong_app::AppError;
use lifelong_core::framework::Framework;
use lifelong_core::outcome::{CreditCategory, OutcomeKind};
use lifelong_core::publication::day;
use lifelong_core::Lang;
use time::Date;

pub use read::*;

use super::catalog::Choice;
use super::edit_texts::EditTexts;
use crate::pages::{form_errors, render, Chrome, Page};

/// A form's fields as submitted (or as prefilled from what is stored), in order.
#[derive(Default, Clone)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Fields(pairs)
    }

    /// The value of `name` (the first one), or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of `name` (ticked check boxes).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The trimmed value of `name`, when not empty.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name).trim())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// Replaces every value of `name` with `value`.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.remove(name);
        self.0.push((name.to_owned(), value.into()));
    }

    /// Adds a value of `name` (one more ticked box).
    pub fn add(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_owned(), value.into()));
    }

    /// Whether the form holds a field `name` at all (empty or not).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    /// Takes every value of `name` out of the form.
    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| n != name);
    }
}

/// What a form does: make a new item, a new version of one, or change a stored draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    New,
    Version,
    Edit,
}

impl Mode {
    /// The mode a submitted form was shown in.
    pub fn of(fields: &Fields) -> Mode {
        match fields.get("mode") {
            "edit" => Mode::Edit,
            "version" => Mode::Version,
            _ => Mode::New,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::New => "new",
            Mode::Version => "version",
            Mode::Edit => "edit",
        }
    }
}

/// One refusal, pointing at the input it concerns ("" for the whole form).
pub struct FormError {
    pub field: String,
    pub message: String,
}

/// A form's refusals.
#[derive(Default)]
pub struct Errors(pub Vec<FormError>);

impl Errors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FormError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The refusal of a use case, by field, in `lang`.
    pub fn from_app(error: &AppError, lang: Lang) -> Errors {
        Errors(
            form_errors(error, lang)
                .into_iter()
                .map(|f| FormError {
                    field: f.field.to_owned(),
                    message: f.message,
                })
                .collect(),
        )
    }

    fn messages(&self, field: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
            .collect()
    }
}

/// One input of a form, ready to render: every input has a visible label.
pub struct Input {
    pub name: String,
    pub label: String,
    pub hint: String,
    /// `text`, `decimal`, `date`, `textarea`, `select`, `checks` (a group) or `check` (one).
    pub kind: &'static str,
    pub value: String,
    pub choices: Vec<Choice>,
    pub checked: bool,
    pub required: bool,
    pub readonly: bool,
    pub rows: u8,
    pub errors: Vec<String>,
}

impl Input {
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn readonly(mut self, readonly: bool) -> Self {
        self.readonly = readonly;
        self
    }

    pub fn rows(mut self, rows: u8) -> Self {
        self.rows = rows;
        self
    }

    /// The input's accessibility attributes: what describes it, whether it is invalid.
    pub fn attrs(&self) -> String {
        let mut described = Vec::new();
        if !self.hint.is_empty() {
            described.push(format!("{}-hint", self.name));
        }
        if !self.errors.is_empty() {
            described.push(format!("{}-error", self.name));
        }
        let mut out = String::new();
        if !described.is_empty() {
            out.push_str(&format!(" aria-describedby=\"{}\"", described.join(" ")));
        }
        if !self.errors.is_empty() {
            out.push_str(" aria-invalid=\"true\"");
        }
        if self.required {
            out.push_str(" required");
        }
        if self.readonly {
            out.push_str(" readonly");
        }
        out
    }

    /// The `type` of an `<input>`.
    pub fn input_type(&self) -> &'static str {
        match self.kind {
            "date" => "date",
            _ => "text",
        }
    }
}

/// A group of inputs under a legend.
pub struct Section {
    pub legend: String,
    pub inputs: Vec<Input>,
}

/// A section of `inputs` under `legend`.
pub fn section(legend: &str, inputs: Vec<Input>) -> Section {
    Section {
        legend: legend.to_owned(),
        inputs,
    }
}

/// Makes the inputs of a form from its fields and errors.
pub struct Form<'a> {
    pub fields: &'a Fields,
    pub errors: &'a Errors,
}

impl Form<'_> {
    fn input(&self, kind: &'static str, name: &str, label: &str, hint: &str) -> Input {
        Input {
            name: name.to_owned(),
            label: label.to_owned(),
            hint: hint.to_owned(),
            kind,
            value: self.fields.get(name).to_owned(),
            choices: Vec::new(),
            checked: false,
            required: false,
            readonly: false,
            rows: 4,
            errors: self.errors.messages(name),
        }
    }

    pub fn text(&self, name: &str, label: &str, hint: &str) -> Input {
        self.input("text", name, label, hint)
    }

    pub fn decimal(&self, name: &str, label: &str, hint: &str) -> Input {
        self.input("decimal", name, label, hint)
    }

    pub fn date(&self, name: &str, label: &str, hint: &str) -> Input {
        self.input("date", name, label, hint)
    }

    pub fn textarea(&self, name: &str, label: &str, hint: &str) -> Input {
        self.input("textarea", name, label, hint)
    }

    /// A `<select>` of `(value, label)` options; the submitted value is selected.
    pub fn select(
        &self,
        name: &str,
        label: &str,
        hint: &str,
        options: Vec<(String, String)>,
    ) -> Input {
        let current = self.fields.get(name).trim().to_owned();
        let mut input = self.input("select", name, label, hint);
        input.choices = options
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == current,
                value,
                label,
            })
            .collect();
        input
    }

    /// A group of check boxes of `(value, label)`; the submitted values are ticked.
    pub fn checks(
        &self,
        name: &str,
        label: &str,
        hint: &str,
        options: Vec<(String, String)>,
    ) -> Input {
        let ticked = self.fields.all(name);
        let mut input = self.input("checks", name, label, hint);
        input.choices = options
            .into_iter()
            .map(|(value, label)| Choice {
                selected: ticked.contains(&value.as_str()),
                value,
                label,
            })
            .collect();
        input
    }

    /// One check box, sent as `on` when ticked.
    pub fn check(&self, name: &str, label: &str, hint: &str) -> Input {
        let mut input = self.input("check", name, label, hint);
        input.checked = !self.fields.get(name).is_empty();
        input
    }
}

/// A catalog edit form page.
#[derive(Template)]
#[template(path = "bank_edit_form.html")]
pub struct EditPage {
    pub chrome: Chrome,
    pub e: &'static EditTexts,
    pub heading: String,
    pub lead: String,
    pub action: String,
    pub back_href: String,
    pub back_label: String,
    pub hidden: Vec<(String, String)>,
    pub sections: Vec<Section>,
    pub errors: Vec<FormError>,
    pub notice: Option<String>,
    pub submit: &'static str,
    pub actions: Vec<FormAction>,
}

/// A second submit button of a form, sent as `name=value`: it changes the form (adds or
/// removes a part) instead of saving it.
pub struct FormAction {
    pub name: &'static str,
    pub value: &'static str,
    pub label: String,
}

/// What a form shows besides its inputs.
pub struct FormSpec {
    pub heading: String,
    pub lead: &'static str,
    pub action: &'static str,
    pub back_href: String,
    pub back_label: String,
    pub sections: Vec<Section>,
    pub submit: &'static str,
    pub mode: Mode,
    /// Buttons after the one that saves.
    pub actions: Vec<FormAction>,
}

/// Renders a form with its errors, answered with `status`.
pub fn show_form(
    page: &Page,
    spec: FormSpec,
    errors: Errors,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    let hidden = vec![("mode".to_owned(), spec.mode.as_str().to_owned())];
    let mut response = render(&EditPage {
        chrome: page.chrome(&spec.heading),
        e: EditTexts::get(page.lang),
        heading: spec.heading,
        lead: spec.lead.to_owned(),
        action: spec.action.to_owned(),
        back_href: spec.back_href,
        back_label: spec.back_label,
        hidden,
        sections: spec.sections,
        errors: errors.0,
        notice,
        submit: spec.submit,
        actions: spec.actions,
    });
    *response.status_mut() = status;
    response
}

/// The page that says a published version cannot be edited, and offers a new version.
#[derive(Template)]
#[template(path = "bank_edit_locked.html")]
struct LockedPage {
    chrome: Chrome,
    e: &'static EditTexts,
    what: String,
    new_version_href: String,
    back_href: String,
}

/// Answers 409 with the reason a published version cannot be edited.
pub fn locked(page: &Page, what: String, new_version_href: String, back_href: String) -> Response {
    let e = EditTexts::get(page.lang);
    let mut response = render(&LockedPage {
        chrome: page.chrome(e.locked_title),
        e,
        what,
        new_version_href,
        back_href,
    });
    *response.status_mut() = StatusCode::CONFLICT;
    response
}

// ---------------------------------------------------------------------------------------------
// Choices

/// The framework's levels, after a "choose" option.
pub fn level_options(framework: &Framework, e: &EditTexts, lang: Lang) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), e.choose.to_owned())];
    out.extend(framework.levels.iter().map(|l| {
        (
            l.level.to_string(),
            format!("{} · {}", l.level, l.title.get(lang)),
        )
    }));
    out
}

/// The credit categories, after a "choose" option.
pub fn category_options(e: &EditTexts, lang: Lang) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), e.choose.to_owned())];
    out.extend(
        CreditCategory::ALL
            .iter()
            .map(|c| (c.as_str().to_owned(), c.label(lang).to_owned())),
    );
    out
}

/// Every kind of outcome.
pub fn kind_options(lang: Lang) -> Vec<(String, String)> {
    OutcomeKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label(lang).to_owned()))
        .collect()
}

/// Fills the fields shared by standards and rules from their criteria.
pub fn put_kinds(fields: &mut Fields, kinds: &[OutcomeKind]) {
    for k in kinds {
        fields.add("kinds", k.as_str());
    }
}

/// An optional value as field text.
pub fn opt_text<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// "2026-09-01".
pub fn day_text(date: Date) -> String {
    day::format(date)
}

/// Today, as a form shows it.
pub fn today_text() -> String {
    day::format(time::OffsetDateTime::now_utc().date())
}

/// The link to the maintenance page at a draft just saved.
pub fn drafted_href(what: &str, code: &str, version: u32) -> String {
    format!(
        "/bank/manage?done=drafted#draft-{}",
        super::manage::draft_key(what, code, version)
    )
}

/// "U-V-D-0104 第2版" / "U-V-D-0104 version 2".
pub fn code_version(code: &str, version: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{code} 第{version}版"),
        Lang::En => format!("{code} version {version}"),
    }
}

/// Whether an error is one the form shows (rather than an error page).
pub fn on_form(error: &AppError) -> bool {
    crate::pages::is_form_error(error) && !matches!(error, AppError::NotFound)
}
