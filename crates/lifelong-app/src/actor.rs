//! Who is acting: a signed-in user, an institution's API client, or the system itself (CLI
//! commands). Every service call takes an [`Actor`]; it is what permissions are checked
//! against and what the audit log records.

use lifelong_core::role::{Permission, Role};
use lifelong_store::{AccountId, AuditOutcome, InstitutionId, NewAudit, TokenId, UserId};

use crate::error::{AppError, AppResult};

/// The one acting.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: Option<UserId>,
    pub role: Role,
    /// The institution a staff user or API token belongs to.
    pub institution: Option<InstitutionId>,
    /// The learning account of a learner.
    pub account: Option<AccountId>,
    /// The API token used, when acting through the API.
    pub token: Option<TokenId>,
    /// The request this happens in, for tracing an audit record to logs.
    pub request_id: Option<String>,
}

impl Actor {
    /// The platform itself (CLI commands, demo data): acts as an administrator with no user.
    pub fn system() -> Self {
        Actor {
            user: None,
            role: Role::Administrator,
            institution: None,
            account: None,
            token: None,
            request_id: None,
        }
    }

    /// The platform itself doing the work of `role` (e.g. the CLI importing the bank's catalog
    /// as the credit bank): that role's permissions, no user.
    pub fn system_as(role: Role) -> Self {
        Actor {
            role,
            ..Actor::system()
        }
    }

    /// The same actor within a request.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// Whether the actor's role grants `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.role.permits(permission)
    }

    /// `Forbidden` unless the role grants `permission`.
    pub fn require(&self, permission: Permission) -> AppResult<()> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The institution a staff actor acts for; `Forbidden` for anyone else.
    pub fn own_institution(&self) -> AppResult<&InstitutionId> {
        self.institution.as_ref().ok_or(AppError::Forbidden)
    }

    /// The audit record of a successful action on a target.
    pub fn audit(&self, action: &str, target_kind: &str, target_id: &str) -> NewAudit {
        NewAudit {
            actor: self.user.clone(),
            actor_role: Some(self.role),
            via_institution: if self.token.is_some() {
                self.institution.clone()
            } else {
                None
            },
            action: action.to_owned(),
            target_kind: target_kind.to_owned(),
            target_id: target_id.to_owned(),
            outcome: AuditOutcome::Ok,
            detail: serde_json::json!({}),
            request_id: self.request_id.clone(),
        }
    }

    /// The audit record of a refused action.
    pub fn denied(&self, action: &str, target_kind: &str, target_id: &str) -> NewAudit {
        NewAudit {
            outcome: AuditOutcome::Denied,
            ..self.audit(action, target_kind, target_id)
        }
    }
}
