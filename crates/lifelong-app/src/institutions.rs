//! Institutions: created and maintained by administrators, seen by their own staff.

use lifelong_core::credit_code::CreditCode;
use lifelong_core::district::District;
use lifelong_core::institution::{InstitutionKind, InstitutionStatus};
use lifelong_core::role::Permission;
use lifelong_store::{Cursor, Institution, InstitutionId, InstitutionPatch, NewInstitution, Page};
use serde::Deserialize;

use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::App;

/// The institution form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InstitutionInput {
    #[serde(default)]
    pub credit_code: String,
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    pub kind: String,
    pub district_code: String,
    #[serde(default)]
    pub status: Option<String>,
    /// A checkbox: "on" when ticked.
    #[serde(default)]
    pub trusted: Option<String>,
}

struct Parsed {
    name_zh: String,
    name_en: String,
    kind: InstitutionKind,
    district_code: String,
    status: InstitutionStatus,
    trusted: bool,
}

fn parse(input: &InstitutionInput, errors: &mut Vec<FieldError>) -> Option<Parsed> {
    let name_zh = input.name_zh.trim();
    if name_zh.is_empty() || name_zh.chars().count() > 100 {
        errors.push(FieldError::text(
            "name_zh",
            "name_invalid",
            "请填写机构中文名称（不超过 100 字）。",
            "Enter the institution's Chinese name (at most 100 characters).",
        ));
    }
    let kind = InstitutionKind::parse(&input.kind);
    if kind.is_none() {
        errors.push(FieldError::text(
            "kind",
            "kind_invalid",
            "请选择机构类型。",
            "Choose the kind of institution.",
        ));
    }
    let district = District::by_code(input.district_code.trim());
    if district.is_none() {
        errors.push(FieldError::text(
            "district_code",
            "district_invalid",
            "请选择所在区。",
            "Choose the district.",
        ));
    }
    let status = match input.status.as_deref() {
        None | Some("") => Some(InstitutionStatus::Active),
        Some(s) => InstitutionStatus::parse(s),
    };
    if status.is_none() {
        errors.push(FieldError::text(
            "status",
            "status_invalid",
            "状态无效。",
            "The status is not valid.",
        ));
    }
    Some(Parsed {
        name_zh: name_zh.to_owned(),
        name_en: input.name_en.trim().to_owned(),
        kind: kind?,
        district_code: district?.code.to_owned(),
        status: status?,
        trusted: input
            .trusted
            .as_deref()
            .is_some_and(|t| matches!(t, "on" | "true" | "1")),
    })
}

/// Administrators, and regulators (who view institutions without belonging to one).
fn sees_all_institutions(actor: &Actor) -> bool {
    actor.can(Permission::ManageInstitutions)
        || (actor.can(Permission::ViewInstitution) && actor.institution.is_none())
}

impl App {
    /// An administrator registers an institution under its credit code (R2).
    pub async fn create_institution(
        &self,
        actor: &Actor,
        input: InstitutionInput,
    ) -> AppResult<Institution> {
        actor.require(Permission::ManageInstitutions)?;
        let mut errors = Vec::new();
        let code = CreditCode::parse(&input.credit_code)
            .map_err(|e| errors.push(FieldError::new("credit_code", &e)))
            .ok();
        let parsed = parse(&input, &mut errors);
        let (Some(code), Some(p), true) = (code, parsed, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let new = NewInstitution {
            id: InstitutionId::new(),
            credit_code: code,
            name_zh: p.name_zh,
            name_en: p.name_en,
            kind: p.kind,
            district_code: p.district_code,
            trusted: p.trusted,
        };
        let audit = actor.audit("institution.create", "institution", new.id.as_str());
        Ok(self.store.create_institution(new, audit).await?)
    }

    /// An administrator changes an institution (not its credit code).
    pub async fn update_institution(
        &self,
        actor: &Actor,
        id: &InstitutionId,
        input: InstitutionInput,
    ) -> AppResult<Institution> {
        actor.require(Permission::ManageInstitutions)?;
        let mut errors = Vec::new();
        let Some(p) = parse(&input, &mut errors).filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let patch = InstitutionPatch {
            name_zh: p.name_zh,
            name_en: p.name_en,
            kind: p.kind,
            district_code: p.district_code,
            status: p.status,
            trusted: p.trusted,
        };
        let audit = actor
            .audit("institution.update", "institution", id.as_str())
            .with_detail(serde_json::json!({ "status": p.status.as_str(), "trusted": p.trusted }));
        Ok(self.store.update_institution(id, patch, audit).await?)
    }

    /// An institution, for its own staff, administrators and regulators.
    pub async fn institution(&self, actor: &Actor, id: &InstitutionId) -> AppResult<Institution> {
        let own = actor.institution.as_ref() == Some(id) && actor.can(Permission::ViewInstitution);
        if !(own || sees_all_institutions(actor)) {
            return Err(AppError::NotFound);
        }
        Ok(self.store.institution(id).await?)
    }

    /// All institutions, for administrators and regulators.
    pub async fn list_institutions(
        &self,
        actor: &Actor,
        cursor: &Cursor,
    ) -> AppResult<Page<Institution>> {
        if !sees_all_institutions(actor) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.list_institutions(cursor).await?)
    }
}
