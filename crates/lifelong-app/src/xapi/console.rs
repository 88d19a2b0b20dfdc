//! What an institution's console shows of its learning record store: its credentials (for
//! those who manage them), the newest statements its platforms sent, read back into plain
//! lines with the people in them masked, and the newest requests the store refused.

use std::collections::HashMap;

use lifelong_core::mask::mask_middle;
use lifelong_core::role::Permission;
use lifelong_core::Lang;
use lifelong_store::{InstitutionId, XapiCredential};
use serde_json::Value;
use time::OffsetDateTime;

use crate::{Actor, App, AppError, AppResult};

/// How many statements and refusals the console shows.
const CONSOLE_LINES: u32 = 20;

/// One stored statement as the console lists it.
#[derive(Debug, Clone)]
pub struct StatementLine {
    pub stored: OffsetDateTime,
    /// The actor's name, masked; empty when the statement gave none.
    pub actor_name: String,
    /// The actor's identifier (e-mail, account, …), masked.
    pub actor_ifi: String,
    /// The verb's display in the requested language, else the last part of its IRI.
    pub verb: String,
    /// The object's name in the requested language, else its id.
    pub object: String,
    /// The platform that sent it (its credential's label).
    pub platform: String,
    pub voided: bool,
}

/// One refused request, with the platform whose credential made it.
#[derive(Debug, Clone)]
pub struct RefusalLine {
    pub at: OffsetDateTime,
    /// The credential's label, or empty when it is no longer listed.
    pub platform: String,
    pub method: String,
    pub resource: String,
    pub status: u16,
    pub code: String,
    pub message: String,
}

/// The console's view of an institution's learning record store.
#[derive(Debug, Clone)]
pub struct XapiConsole {
    /// The credentials, newest first; `None` for staff who may see the activity but not
    /// manage credentials.
    pub credentials: Option<Vec<XapiCredential>>,
    pub statements: Vec<StatementLine>,
    pub refusals: Vec<RefusalLine>,
}

/// The text of a language map in `lang`, else in the other language, else any.
pub(crate) fn language_text(map: Option<&Value>, lang: Lang) -> Option<String> {
    let map = map?.as_object()?;
    let tags: &[&str] = match lang {
        Lang::Zh => &["zh-CN", "zh-Hans", "zh", "en-US", "en", "en-GB"],
        Lang::En => &["en-US", "en", "en-GB", "zh-CN", "zh-Hans", "zh"],
    };
    tags.iter()
        .find_map(|tag| map.get(*tag))
        .or_else(|| map.values().next())
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// A name with its middle hidden.
fn mask_name(name: &str) -> String {
    let chars = name.chars().count();
    mask_middle(name, 1, usize::from(chars > 2))
}

/// The last segment of an IRI, for verbs without a display.
fn iri_tail(iri: &str) -> String {
    iri.trim_end_matches('/')
        .rsplit(['/', '#'])
        .next()
        .unwrap_or(iri)
        .to_owned()
}

/// An agent's or group's identifier, masked: enough to recognise, not enough to copy.
fn masked_ifi(agent: &Value, home_page: &str, lang: Lang) -> String {
    let text = |key: &str| agent.get(key).and_then(Value::as_str);
    if let Some(mbox) = text("mbox") {
        let address = mbox.strip_prefix("mailto:").unwrap_or(mbox);
        return match address.split_once('@') {
            Some((local, domain)) => format!("{}@{domain}", mask_middle(local, 1, 0)),
            None => mask_middle(address, 1, 0),
        };
    }
    if let Some(sum) = text("mbox_sha1sum") {
        return format!("sha1:{}…", sum.get(..8).unwrap_or(sum));
    }
    if let Some(openid) = text("openid") {
        let host = openid
            .split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or(rest))
            .unwrap_or("");
        return format!("openid:{host}/…");
    }
    if let Some(account) = agent.get("account") {
        let name = account.get("name").and_then(Value::as_str).unwrap_or("");
        let home = account
            .get("homePage")
            .and_then(Value::as_str)
            .unwrap_or("");
        if home.trim_end_matches('/') == home_page.trim_end_matches('/') {
            return format!(
                "{} {}",
                lang.pick("学习账户", "learning account"),
                mask_middle(name, 4, 4)
            );
        }
        let host = home
            .split_once("://")
            .map(|(_, rest)| rest.split('/').next().unwrap_or(rest))
            .unwrap_or(home);
        return format!("{}@{host}", mask_middle(name, 2, 2));
    }
    if let Some(members) = agent.get("member").and_then(Value::as_array) {
        return match lang {
            Lang::Zh => format!("小组（{} 人）", members.len()),
            Lang::En => format!("group of {}", members.len()),
        };
    }
    String::new()
}

/// What a statement's object is, in a few words.
fn object_text(object: Option<&Value>, home_page: &str, lang: Lang) -> String {
    let Some(object) = object else {
        return String::new();
    };
    let id = object.get("id").and_then(Value::as_str).unwrap_or("");
    match object.get("objectType").and_then(Value::as_str) {
        Some("Agent") | Some("Group") => object
            .get("name")
            .and_then(Value::as_str)
            .map(mask_name)
            .unwrap_or_else(|| masked_ifi(object, home_page, lang)),
        Some("StatementRef") => match lang {
            Lang::Zh => format!("声明 {id}"),
            Lang::En => format!("statement {id}"),
        },
        Some("SubStatement") => {
            let verb = object.get("verb");
            let verb = language_text(verb.and_then(|v| v.get("display")), lang)
                .or_else(|| {
                    verb.and_then(|v| v.get("id"))
                        .and_then(Value::as_str)
                        .map(iri_tail)
                })
                .unwrap_or_default();
            format!(
                "{verb} {}",
                object_text(object.get("object"), home_page, lang)
            )
        }
        _ => language_text(object.get("definition").and_then(|d| d.get("name")), lang)
            .unwrap_or_else(|| id.to_owned()),
    }
}

/// A stored statement read back into a console line.
fn statement_line(
    stored: &lifelong_store::StoredStatement,
    home_page: &str,
    lang: Lang,
) -> StatementLine {
    let s: Value = serde_json::from_str(&stored.body).unwrap_or(Value::Null);
    let actor = s.get("actor").unwrap_or(&Value::Null);
    let verb = s.get("verb");
    StatementLine {
        stored: stored.stored,
        actor_name: actor
            .get("name")
            .and_then(Value::as_str)
            .map(mask_name)
            .unwrap_or_default(),
        actor_ifi: masked_ifi(actor, home_page, lang),
        verb: language_text(verb.and_then(|v| v.get("display")), lang)
            .or_else(|| {
                verb.and_then(|v| v.get("id"))
                    .and_then(Value::as_str)
                    .map(iri_tail)
            })
            .unwrap_or_default(),
        object: object_text(s.get("object"), home_page, lang),
        platform: s
            .get("authority")
            .and_then(|a| a.get("name"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        voided: stored.voided,
    }
}

impl App {
    /// Staff of the institution who may see its learners, or anyone who may manage its
    /// credentials, may see what its platforms sent.
    fn activity_scope(&self, actor: &Actor, institution: &InstitutionId) -> AppResult<()> {
        if self.credential_scope(actor, institution).is_ok() {
            return Ok(());
        }
        actor.require(Permission::ViewInstitutionAccounts)?;
        if actor.institution.as_ref() == Some(institution) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The console's view of an institution's learning record store: credentials for those
    /// who manage them, and for its staff the newest statements and refusals, in `lang`.
    pub async fn xapi_console(
        &self,
        actor: &Actor,
        institution: &InstitutionId,
        lang: Lang,
    ) -> AppResult<XapiConsole> {
        self.activity_scope(actor, institution)?;
        let all = self.store.xapi_credentials(institution).await?;
        let (statements, refusals) = match self.store.xapi_tenant(institution).await? {
            Some(tenant) => (
                self.store.recent_statements(tenant, CONSOLE_LINES).await?,
                self.store.xapi_refusals(tenant, CONSOLE_LINES).await?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        let home_page = &self.settings.xapi.home_page;
        let labels: HashMap<_, _> = all.iter().map(|c| (c.id, c.label.clone())).collect();
        let refusals = refusals
            .into_iter()
            .map(|r| RefusalLine {
                at: r.at,
                platform: labels.get(&r.credential).cloned().unwrap_or_default(),
                method: r.method,
                resource: r.resource,
                status: r.status,
                code: r.code,
                message: if lang == Lang::Zh && !r.message_zh.is_empty() {
                    r.message_zh
                } else {
                    r.message
                },
            })
            .collect();
        let credentials = self
            .credential_scope(actor, institution)
            .is_ok()
            .then_some(all);
        Ok(XapiConsole {
            credentials,
            statements: statements
                .iter()
                .map(|s| statement_line(s, home_page, lang))
                .collect(),
            refusals,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HOME: &str = "https://lifelong.sh.cn";

    #[test]
    fn identifiers_are_masked() {
        let zh = Lang::Zh;
        assert_eq!(
            masked_ifi(&json!({ "mbox": "mailto:zhang@example.com" }), HOME, zh),
            "z****@example.com"
        );
        assert_eq!(
            masked_ifi(
                &json!({ "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9" }),
                HOME,
                zh
            ),
            "sha1:ebd31e95…"
        );
        assert_eq!(
            masked_ifi(
                &json!({ "openid": "https://id.example.com/users/42" }),
                HOME,
                zh
            ),
            "openid:id.example.com/…"
        );
        assert_eq!(
            masked_ifi(
                &json!({ "account": { "homePage": "https://lifelong.sh.cn/", "name": "0193aaaa-bbbb-cccc" } }),
                HOME,
                Lang::En
            ),
            "learning account 0193**********cccc"
        );
        assert_eq!(
            masked_ifi(
                &json!({ "account": { "homePage": "https://lms.example.com", "name": "u12345" } }),
                HOME,
                zh
            ),
            "u1**45@lms.example.com"
        );
        assert_eq!(mask_name("王芳"), "王*");
        assert_eq!(mask_name("zhang"), "z***g");
    }

    #[test]
    fn lines_read_names_in_the_page_language() {
        let stored = lifelong_store::StoredStatement {
            seq: 1,
            body: json!({
                "actor": { "name": "李四", "mbox": "mailto:li@example.com" },
                "verb": { "id": "http://adlnet.gov/expapi/verbs/completed", "display": { "en-US": "completed", "zh-CN": "完成" } },
                "object": { "id": "http://example.com/a1", "definition": { "name": { "en-US": "Tea", "zh-CN": "茶艺" } } },
                "authority": { "name": "Moodle", "account": { "homePage": "x", "name": "lx_1" } }
            })
            .to_string(),
            voided: false,
            stored: OffsetDateTime::UNIX_EPOCH,
        };
        let zh = statement_line(&stored, HOME, Lang::Zh);
        assert_eq!(
            (
                zh.actor_name.as_str(),
                zh.verb.as_str(),
                zh.object.as_str(),
                zh.platform.as_str()
            ),
            ("李*", "完成", "茶艺", "Moodle")
        );
        let en = statement_line(&stored, HOME, Lang::En);
        assert_eq!((en.verb.as_str(), en.object.as_str()), ("completed", "Tea"));
        let bare = lifelong_store::StoredStatement {
            body: json!({ "actor": { "mbox": "mailto:a@b.c" }, "verb": { "id": "http://x/verbs/voided" },
                "object": { "objectType": "StatementRef", "id": "s-1" } })
            .to_string(),
            ..stored
        };
        let line = statement_line(&bare, HOME, Lang::En);
        assert_eq!(
            (line.verb.as_str(), line.object.as_str()),
            ("voided", "statement s-1")
        );
    }
}
