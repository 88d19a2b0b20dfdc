//! Users and access: sign-in with throttling, sessions, staff users, API tokens.

use lifelong_core::mobile::Mobile;
use lifelong_core::role::{Permission, Role};
use lifelong_store::{
    ApiToken, AuditEntry, AuditFilter, Cursor, InstitutionId, NewApiToken, NewAudit, NewSession,
    NewUser, Page, TokenId, User, UserId, UserPatch,
};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::identity::learner_login;
use crate::{password, secret, App};

/// A successful sign-in: the user and the session token for the cookie (shown nowhere else).
#[derive(Debug)]
pub struct SignedIn {
    pub user: User,
    pub session_token: String,
    pub expires_at: OffsetDateTime,
}

/// An administrator's form for a staff user.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UserInput {
    pub login: String,
    pub display_name: String,
    pub role: String,
    #[serde(default)]
    pub institution_id: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub active: Option<String>,
}

impl Actor {
    /// The actor of a signed-in user.
    pub fn of_user(user: &User) -> Actor {
        Actor {
            user: Some(user.id.clone()),
            role: user.role,
            institution: user.institution_id.clone(),
            account: user.account_id.clone(),
            token: None,
            request_id: None,
        }
    }
}

/// Staff logins: 3–32 of a–z, 0–9, `.`, `_`, `-`, starting with a letter.
fn parse_staff_login(text: &str) -> Option<String> {
    let login = text.trim().to_lowercase();
    let ok = (3..=32).contains(&login.len())
        && login.starts_with(|c: char| c.is_ascii_lowercase())
        && login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    ok.then_some(login)
}

impl App {
    /// Normalises what a person typed as a login: a mobile number (learners) or a staff login.
    pub fn login_key(&self, typed: &str) -> String {
        match Mobile::parse(typed) {
            Ok(m) => learner_login(&self.vault, &m),
            Err(_) => typed.trim().to_lowercase(),
        }
    }

    pub(crate) fn check_new_password(
        &self,
        password: &str,
        confirm: &str,
        errors: &mut Vec<FieldError>,
    ) {
        let min = self.settings.min_password_length;
        if password.chars().count() < min {
            errors.push(FieldError::text(
                "password",
                "password_too_short",
                &format!("密码至少需要 {min} 个字符。"),
                &format!("The password needs at least {min} characters."),
            ));
        } else if password != confirm {
            errors.push(FieldError::text(
                "password_confirm",
                "password_mismatch",
                "两次输入的密码不一致。",
                "The two passwords do not match.",
            ));
        }
    }

    /// Signs a person in. Repeated failures lock the user for a while; an unknown login costs
    /// the same time as a known one and says the same thing.
    pub async fn sign_in(
        &self,
        typed_login: &str,
        password: &str,
        request_id: Option<String>,
    ) -> AppResult<SignedIn> {
        let now = OffsetDateTime::now_utc();
        let login = self.login_key(typed_login);
        let user = self.store.user_by_login(&login).await?;
        let anonymous = Actor {
            role: Role::Learner,
            ..Actor::system()
        }
        .with_request_id(request_id.clone());
        let Some(user) = user.filter(|u| u.active) else {
            password::verify(password.to_owned(), None, self.settings.password_cost).await?;
            let _ = self
                .store
                .append_audit(anonymous.denied("session.sign_in", "user", "unknown"))
                .await;
            return Err(AppError::InvalidCredentials);
        };
        let actor = Actor::of_user(&user).with_request_id(request_id);
        if user.locked_until.is_some_and(|t| t > now) {
            let _ = self
                .store
                .append_audit(actor.denied("session.sign_in", "user", user.id.as_str()))
                .await;
            return Err(AppError::Locked);
        }
        let ok = password::verify(
            password.to_owned(),
            user.password_hash.clone(),
            self.settings.password_cost,
        )
        .await?;
        if !ok {
            let lock_until = now + Duration::minutes(i64::from(self.settings.lockout_minutes));
            let audit = actor.denied("session.sign_in", "user", user.id.as_str());
            let after = self
                .store
                .record_login_failure(
                    &user.id,
                    self.settings.max_login_failures,
                    lock_until,
                    audit,
                )
                .await?;
            tracing::info!(user = %user.id, failures = after.failed_logins, "sign-in failed");
            return Err(if after.locked_until.is_some_and(|t| t > now) {
                AppError::Locked
            } else {
                AppError::InvalidCredentials
            });
        }
        let session_token = secret::new_token("");
        let expires_at = now + Duration::hours(i64::from(self.settings.session_hours));
        let session = NewSession {
            token_hash: secret::digest(&session_token),
            user_id: user.id.clone(),
            expires_at,
        };
        self.store
            .record_login_success(
                session,
                actor.audit("session.sign_in", "user", user.id.as_str()),
            )
            .await?;
        Ok(SignedIn {
            user,
            session_token,
            expires_at,
        })
    }

    /// The user of a session cookie's token, if the session is valid.
    pub async fn session_user(&self, token: &str) -> AppResult<Option<User>> {
        Ok(self
            .store
            .session_user(&secret::digest(token), OffsetDateTime::now_utc())
            .await?)
    }

    /// Ends a session.
    pub async fn sign_out(&self, token: &str) -> AppResult<()> {
        Ok(self.store.delete_session(&secret::digest(token)).await?)
    }

    /// The actor of an API bearer token: the institution's system, acting as an operator.
    pub async fn token_actor(&self, token: &str) -> AppResult<Actor> {
        let found = self
            .store
            .use_token(&secret::digest(token), OffsetDateTime::now_utc())
            .await?;
        let token = found.ok_or(AppError::Unauthenticated)?;
        let institution = self.store.institution(&token.institution_id).await?;
        if !institution.status.is_active() {
            return Err(AppError::Forbidden);
        }
        Ok(Actor {
            user: None,
            role: Role::InstitutionOperator,
            institution: Some(token.institution_id),
            account: None,
            token: Some(token.id),
            request_id: None,
        })
    }

    fn parse_user_input(
        &self,
        input: &UserInput,
        errors: &mut Vec<FieldError>,
    ) -> Option<(String, Role, Option<InstitutionId>)> {
        let login = parse_staff_login(&input.login);
        if login.is_none() {
            errors.push(FieldError::text(
                "login",
                "login_invalid",
                "登录名须为 3–32 位小写字母、数字或 . _ -，以字母开头。",
                "A login is 3–32 lower-case letters, digits or . _ -, starting with a letter.",
            ));
        }
        let role = Role::parse(&input.role).filter(|r| *r != Role::Learner);
        if role.is_none() {
            errors.push(FieldError::text(
                "role",
                "role_invalid",
                "请选择有效的角色。",
                "Choose a valid role.",
            ));
        }
        if input.display_name.trim().is_empty() || input.display_name.chars().count() > 60 {
            errors.push(FieldError::text(
                "display_name",
                "display_name_invalid",
                "请填写 1–60 个字符的显示名称。",
                "Enter a display name of 1–60 characters.",
            ));
        }
        let institution = input
            .institution_id
            .as_deref()
            .filter(|s| !s.is_empty())
            .map(InstitutionId::parse);
        let institution = match (role, institution) {
            (Some(r), Some(Some(i))) if r.is_institution_staff() => Some(i),
            (Some(r), None) if r.is_institution_staff() => {
                errors.push(FieldError::text(
                    "institution_id",
                    "institution_required",
                    "机构人员必须属于一个机构。",
                    "Institution staff must belong to an institution.",
                ));
                None
            }
            (_, Some(None)) => {
                errors.push(FieldError::text(
                    "institution_id",
                    "institution_invalid",
                    "机构编号无效。",
                    "The institution id is not valid.",
                ));
                None
            }
            _ => None,
        };
        Some((login?, role?, institution))
    }

    /// An administrator creates a staff user.
    pub async fn create_user(&self, actor: &Actor, input: UserInput) -> AppResult<User> {
        actor.require(Permission::ManageUsers)?;
        let mut errors = Vec::new();
        let parsed = self.parse_user_input(&input, &mut errors);
        let password = input.password.clone().unwrap_or_default();
        self.check_new_password(&password, &password, &mut errors);
        let Some((login, role, institution)) = parsed.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        if let Some(inst) = &institution {
            self.store.institution(inst).await.map_err(|_| {
                AppError::Invalid(vec![FieldError::text(
                    "institution_id",
                    "institution_invalid",
                    "机构不存在。",
                    "No such institution.",
                )])
            })?;
        }
        let hash = password::hash(password, self.settings.password_cost).await?;
        let user = NewUser {
            id: UserId::new(),
            login,
            display_name: input.display_name.trim().to_owned(),
            role,
            institution_id: institution,
            account_id: None,
            password_hash: Some(hash),
        };
        let audit = actor
            .audit("user.create", "user", user.id.as_str())
            .with_detail(serde_json::json!({ "role": role.as_str() }));
        Ok(self.store.create_user(user, audit).await?)
    }

    /// An administrator changes a staff user's name, role, institution or activity.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: &UserId,
        input: UserInput,
    ) -> AppResult<User> {
        actor.require(Permission::ManageUsers)?;
        let existing = self.store.user(id).await?;
        if existing.role == Role::Learner {
            return Err(AppError::Forbidden);
        }
        let mut errors = Vec::new();
        let input = UserInput {
            login: existing.login.clone(),
            ..input
        };
        let parsed = self.parse_user_input(&input, &mut errors);
        let Some((_, role, institution)) = parsed.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let active = input
            .active
            .as_deref()
            .is_some_and(|a| matches!(a, "on" | "true" | "1"));
        if actor.user.as_ref() == Some(id) && (!active || role != existing.role) {
            return Err(AppError::Invalid(vec![FieldError::text(
                "role",
                "cannot_demote_self",
                "不能停用自己或更改自己的角色。",
                "You cannot deactivate yourself or change your own role.",
            )]));
        }
        let patch = UserPatch {
            display_name: input.display_name.trim().to_owned(),
            role,
            institution_id: institution,
            active,
        };
        let audit = actor
            .audit("user.update", "user", id.as_str())
            .with_detail(serde_json::json!({ "role": role.as_str(), "active": active }));
        Ok(self.store.update_user(id, patch, audit).await?)
    }

    /// Staff users, for administrators.
    pub async fn list_users(&self, actor: &Actor, cursor: &Cursor) -> AppResult<Page<User>> {
        actor.require(Permission::ManageUsers)?;
        Ok(self.store.list_users(cursor).await?)
    }

    /// One user, for administrators.
    pub async fn user(&self, actor: &Actor, id: &UserId) -> AppResult<User> {
        actor.require(Permission::ManageUsers)?;
        Ok(self.store.user(id).await?)
    }

    /// A user changes their own password.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
        confirm: &str,
    ) -> AppResult<()> {
        let id = actor.user.as_ref().ok_or(AppError::Unauthenticated)?;
        let user = self.store.user(id).await?;
        if !password::verify(
            current.to_owned(),
            user.password_hash,
            self.settings.password_cost,
        )
        .await?
        {
            return Err(AppError::Invalid(vec![FieldError::text(
                "current_password",
                "password_wrong",
                "当前密码不正确。",
                "The current password is not correct.",
            )]));
        }
        let mut errors = Vec::new();
        self.check_new_password(new, confirm, &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let hash = password::hash(new.to_owned(), self.settings.password_cost).await?;
        Ok(self
            .store
            .set_password(
                id,
                &hash,
                actor.audit("user.change_password", "user", id.as_str()),
            )
            .await?)
    }

    /// Which institution's tokens and xAPI credentials the actor may manage: administrators
    /// any, managers their own.
    pub(crate) fn token_scope(&self, actor: &Actor, institution: &InstitutionId) -> AppResult<()> {
        actor.require(Permission::ManageInstitutionTokens)?;
        if actor.can(Permission::ManageInstitutions)
            || actor.institution.as_ref() == Some(institution)
        {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Issues an API token; the returned string is shown once and never again.
    pub async fn create_token(
        &self,
        actor: &Actor,
        institution: &InstitutionId,
        name: &str,
    ) -> AppResult<(ApiToken, String)> {
        self.token_scope(actor, institution)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(AppError::Invalid(vec![FieldError::text(
                "name",
                "token_name_invalid",
                "请为令牌填写 1–60 个字符的名称，如所用系统。",
                "Name the token (1–60 characters), e.g. after the system using it.",
            )]));
        }
        self.store.institution(institution).await?;
        let plain = secret::new_token("ll_");
        let token = NewApiToken {
            id: TokenId::new(),
            institution_id: institution.clone(),
            name: name.to_owned(),
            token_hash: secret::digest(&plain),
            prefix: plain.chars().take(8).collect(),
            created_by: actor.user.clone(),
        };
        let audit = actor.audit("token.create", "api_token", token.id.as_str());
        let stored = self.store.create_token(token, audit).await?;
        Ok((stored, plain))
    }

    /// An institution's tokens.
    pub async fn list_tokens(
        &self,
        actor: &Actor,
        institution: &InstitutionId,
    ) -> AppResult<Vec<ApiToken>> {
        self.token_scope(actor, institution)?;
        Ok(self.store.list_tokens(institution).await?)
    }

    /// Revokes a token at once.
    pub async fn revoke_token(
        &self,
        actor: &Actor,
        institution: &InstitutionId,
        id: &TokenId,
    ) -> AppResult<ApiToken> {
        self.token_scope(actor, institution)?;
        let audit = actor.audit("token.revoke", "api_token", id.as_str());
        Ok(self.store.revoke_token(institution, id, audit).await?)
    }

    /// The audit log, newest first, for those who may read it.
    pub async fn list_audit(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        cursor: &Cursor,
    ) -> AppResult<Page<AuditEntry>> {
        actor.require(Permission::ReadAudit)?;
        Ok(self.store.list_audit(filter, cursor).await?)
    }

    /// Records a refused request in the audit log (authorisation failures at the edge).
    pub async fn audit_denied(&self, audit: NewAudit) {
        if let Err(e) = self.store.append_audit(audit).await {
            tracing::warn!(error = %e, "could not record a refusal in the audit log");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_staff_login;

    #[test]
    fn staff_logins_are_normalised_and_checked() {
        assert_eq!(parse_staff_login(" Admin.Li "), Some("admin.li".into()));
        assert_eq!(parse_staff_login("ab"), None);
        assert_eq!(parse_staff_login("1abc"), None);
        assert_eq!(parse_staff_login("zhang san"), None);
        assert_eq!(parse_staff_login("reviewer_01"), Some("reviewer_01".into()));
    }
}
