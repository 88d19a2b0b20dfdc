//! The working-day calendar (R15, reviewers): public holidays and worked weekend days, the
//! exceptions to "Monday to Friday" that review deadlines are counted with.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use lifelong_core::publication::day;
use lifelong_core::role::Permission;
use lifelong_core::Lang;
use serde::Deserialize;
use time::{Date, Weekday};

use crate::auth::csrf::CsrfForm;
use crate::auth::session::SignedIn;
use crate::error::PageError;
use crate::pages::{
    error_for, form_errors, is_form_error, render, Chrome, DoneQuery, FieldMessage, Page,
};
use crate::state::AppState;
use crate::texts;

texts!(CalendarTexts {
    title: "工作日历" | "Working-day calendar",
    lead: "审核期限按工作日计算：周一至周五上班，周六、周日休息。法定节假日放假的工作日，以及调休上班的周末，请在这里登记。" | "Review deadlines are counted in working days: Monday to Friday are worked, Saturday and Sunday are not. Register here the weekdays that are public holidays and the weekend days that are worked instead.",
    back: "返回学分银行" | "Back to the credit bank",
    manage_link: "维护目录" | "Maintain the catalog",
    list_heading: "已登记的日期" | "Registered days",
    none: "还没有登记任何日期。" | "No day is registered yet.",
    date: "日期" | "Date",
    weekday: "星期" | "Day of the week",
    this_day: "这一天" | "This day is",
    day_off: "放假（不上班）" | "A day off (holiday)",
    work_day: "上班（调休）" | "A working day (worked weekend)",
    clear: "删除" | "Remove",
    clear_confirm: "删除后这一天按平常的周一至周五规则计算，确定吗？" | "The day will follow the usual Monday-to-Friday rule again. Remove it?",
    add_heading: "登记一个日期" | "Register a day",
    day_hint: "格式：年-月-日，例如 2026-10-01。" | "As year-month-day, for example 2026-10-01.",
    note: "说明" | "Note",
    note_hint: "例如“国庆节”或“国庆调休上班”。" | "For example “National Day” or “worked for National Day”.",
    save: "登记" | "Register",
    saved: "已登记。" | "Registered.",
    cleared: "已删除，这一天按平常的周一至周五规则计算。" | "Removed: the day follows the usual Monday-to-Friday rule again.",
    form_has_errors: "请修改以下标出的内容后再提交：" | "Please correct the marked fields and submit again:",
    day_required: "请填写日期。" | "Enter the date.",
    bad_date: "请按“年-月-日”填写日期，例如 2026-10-01。" | "Enter the date as year-month-day, for example 2026-10-01.",
    choose_working: "请选择这一天放假还是上班。" | "Choose whether the day is a day off or a working day.",
    note_too_long: "说明不能超过 100 个字。" | "The note can be at most 100 characters.",
});

/// The longest note kept with a day.
const NOTE_MAX: usize = 100;

/// One registered day.
struct DayRow {
    date: String,
    weekday: &'static str,
    working: bool,
}

/// The add form's values.
#[derive(Deserialize, Default)]
pub struct DayForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    working: String,
    #[serde(default)]
    note: String,
}

#[derive(Template)]
#[template(path = "bank_calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    c: &'static CalendarTexts,
    days: Vec<DayRow>,
    form: DayForm,
    errors: Vec<FieldMessage>,
    notice: Option<&'static str>,
}

impl CalendarPage {
    fn has_error(&self, field: &str) -> bool {
        error_for(&self.errors, field).is_some()
    }
}

fn weekday_name(day: Date, lang: Lang) -> &'static str {
    let (zh, en) = match day.weekday() {
        Weekday::Monday => ("星期一", "Monday"),
        Weekday::Tuesday => ("星期二", "Tuesday"),
        Weekday::Wednesday => ("星期三", "Wednesday"),
        Weekday::Thursday => ("星期四", "Thursday"),
        Weekday::Friday => ("星期五", "Friday"),
        Weekday::Saturday => ("星期六", "Saturday"),
        Weekday::Sunday => ("星期日", "Sunday"),
    };
    lang.pick(zh, en)
}

async fn calendar_page(
    state: &AppState,
    page: &Page,
    form: DayForm,
    errors: Vec<FieldMessage>,
    notice: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let c = CalendarTexts::get(page.lang);
    let days = state
        .app
        .store
        .calendar()
        .await?
        .exceptions()
        .map(|(date, working)| DayRow {
            date: day::format(date),
            weekday: weekday_name(date, page.lang),
            working,
        })
        .collect();
    let mut response = render(&CalendarPage {
        chrome: page.chrome(c.title),
        c,
        days,
        form,
        errors,
        notice,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /bank/calendar`: the registered days and the form to add one (reviewers).
pub async fn calendar(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let c = CalendarTexts::get(page.lang);
    let notice = match q.done.as_deref() {
        Some("saved") => Some(c.saved),
        Some("cleared") => Some(c.cleared),
        _ => None,
    };
    calendar_page(
        &state,
        &page,
        DayForm::default(),
        Vec::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

fn field(field: &'static str, message: &str) -> FieldMessage {
    FieldMessage {
        field,
        message: message.to_owned(),
    }
}

/// `POST /bank/calendar`: registers a day as off or worked, or clears it.
pub async fn set_day(
    State(state): State<AppState>,
    page: Page,
    signed: SignedIn,
    CsrfForm(form): CsrfForm<DayForm>,
) -> Result<Response, PageError> {
    signed.actor.require(Permission::ManageCatalog)?;
    let c = CalendarTexts::get(page.lang);
    let mut errors = Vec::new();
    let date = match form.day.trim() {
        "" => {
            errors.push(field("day", c.day_required));
            None
        }
        text => day::parse(text).or_else(|| {
            errors.push(field("day", c.bad_date));
            None
        }),
    };
    let working = match form.working.as_str() {
        "off" => Some(Some(false)),
        "work" => Some(Some(true)),
        "clear" => Some(None),
        _ => {
            errors.push(field("working", c.choose_working));
            None
        }
    };
    if form.note.trim().chars().count() > NOTE_MAX {
        errors.push(field("note", c.note_too_long));
    }
    let (Some(date), Some(working), true) = (date, working, errors.is_empty()) else {
        return calendar_page(
            &state,
            &page,
            form,
            errors,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match state
        .app
        .set_calendar_day(&signed.actor, date, working, &form.note)
        .await
    {
        Ok(()) => {
            let done = if working.is_some() {
                "saved"
            } else {
                "cleared"
            };
            Ok(Redirect::to(&format!("/bank/calendar?done={done}")).into_response())
        }
        Err(e) if is_form_error(&e) => {
            let status = crate::error::status_of(&e);
            let errors = form_errors(&e, page.lang);
            calendar_page(&state, &page, form, errors, None, status).await
        }
        Err(e) => Err(e.into()),
    }
}
