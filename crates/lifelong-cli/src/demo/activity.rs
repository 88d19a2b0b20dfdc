//! Demo learning activity: the open university connects its learning platform to the learning
//! record store, and the platform streams what the demo citizen did in her online courses. The
//! counted statements land in her archive as learning activity; the rest are kept as xAPI
//! requires, so the institution console shows a platform at work.

use anyhow::Context as _;
use lifelong_app::{Actor, App};
use lifelong_core::role::Role;
use lifelong_store::{AccountId, Institution};
use lifelong_xapi::Version;
use serde_json::{json, Value};

use crate::app_error;

/// The demo platform's credential, shown once.
pub struct DemoCredential {
    pub key: String,
    pub secret: String,
    pub statements: usize,
}

/// (verb, course title zh, course title en, duration, success)
const LESSONS: &[(&str, &str, &str, &str, Option<bool>)] = &[
    (
        "completed",
        "老年人智能手机应用（第一单元）",
        "Smartphones for seniors, unit 1",
        "PT1H30M",
        None,
    ),
    (
        "completed",
        "老年人智能手机应用（第二单元）",
        "Smartphones for seniors, unit 2",
        "PT1H45M",
        None,
    ),
    (
        "passed",
        "老年人智能手机应用 单元测验",
        "Smartphones for seniors, unit quiz",
        "PT20M",
        Some(true),
    ),
    (
        "attempted",
        "计算机应用基础（第三章）",
        "Computer basics, chapter 3",
        "PT35M",
        None,
    ),
    (
        "completed",
        "上海地方史讲座",
        "Lectures on Shanghai history",
        "PT2H",
        None,
    ),
    (
        "attended",
        "社区学习沙龙：家庭理财",
        "Community salon: household finance",
        "PT1H",
        None,
    ),
];

/// The open university's credential, and the citizen's activity sent with it.
pub async fn stream(
    app: &App,
    open_university: &Institution,
    learner: &AccountId,
) -> anyhow::Result<DemoCredential> {
    let manager = Actor {
        role: Role::InstitutionManager,
        institution: Some(open_university.id.clone()),
        ..Actor::system()
    };
    let issued = app
        .issue_xapi_credential(&manager, &open_university.id, "演示学习平台 Moodle")
        .await
        .map_err(app_error)
        .context("could not issue the demo xAPI credential")?;
    let client = app
        .authenticate_xapi(&issued.credential.key, &issued.secret)
        .await
        .map_err(app_error)?;
    let home = app.settings.xapi.home_page.clone();
    let statements: Vec<Value> = LESSONS
        .iter()
        .enumerate()
        .map(|(i, (verb, zh, en, duration, success))| {
            let mut result = json!({ "duration": duration, "completion": *verb != "attempted" });
            if let Some(s) = success {
                result["success"] = json!(s);
                result["score"] = json!({ "scaled": 0.92 });
            }
            json!({
                "actor": { "objectType": "Agent", "name": "林晓梅", "account": { "homePage": home, "name": learner.to_string() } },
                "verb": { "id": format!("http://adlnet.gov/expapi/verbs/{verb}"), "display": { "zh-CN": verb, "en-US": verb } },
                "object": {
                    "id": format!("https://moodle.shou.edu.cn/course/view.php?id={}", 100 + i),
                    "definition": { "type": "http://adlnet.gov/expapi/activities/course", "name": { "zh-CN": zh, "en-US": en } }
                },
                "result": result,
                "context": { "platform": "Moodle 4.3", "language": "zh-CN" },
                "timestamp": format!("2026-10-{:02}T19:30:00+08:00", 6 + 3 * i)
            })
        })
        .collect();
    let sent = statements.len();
    app.store_statements(&client, Version::V1, statements, Vec::new(), None)
        .await
        .map_err(app_error)
        .context("could not store the demo learning activity")?;
    Ok(DemoCredential {
        key: issued.credential.key,
        secret: issued.secret,
        statements: sent,
    })
}
