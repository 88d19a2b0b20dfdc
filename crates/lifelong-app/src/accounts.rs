//! Learning accounts: a citizen's registration, an institution opening one account, a
//! reviewer's verification and freezing, consents, and the audited reveal of an ID number.

use lifelong_core::account::{AccountOrigin, AccountStatus};
use lifelong_core::consent::ConsentKind;
use lifelong_core::id_number::IdNumber;
use lifelong_core::mobile::Mobile;
use lifelong_core::person_name::PersonName;
use lifelong_core::role::{Permission, Role};
use lifelong_core::Lang;
use lifelong_store::{
    Account, AccountFilter, AccountId, Consent, ConsentId, Cursor, NewAccount, NewConsent, NewUser,
    Opened, Page, UserId,
};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::actor::Actor;
use crate::error::{AppError, AppResult, FieldError};
use crate::identity::{id_index, learner_login, seal_id_number, seal_mobile};
use crate::{password, App};

/// A citizen's registration form. Consents are checkboxes: present (any value) means ticked.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegistrationInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
    /// Consent to processing personal information (R4).
    #[serde(default)]
    pub consent_personal_info: Option<String>,
    /// Separate consent to processing the ID number, sensitive data (R3, R4).
    #[serde(default)]
    pub consent_sensitive_id_number: Option<String>,
    /// The guardian's name, for a learner under the guardian age (R4).
    #[serde(default)]
    pub guardian_name: Option<String>,
}

/// One account opened by an institution (API or console).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
pub struct OpenAccountInput {
    pub name: String,
    pub id_number: String,
    #[serde(default)]
    pub mobile: Option<String>,
    /// For a learner under the guardian age: the guardian who consented (R4).
    #[serde(default)]
    pub guardian_name: Option<String>,
}

/// A validated person: what every way of opening an account starts from.
pub(crate) struct Person {
    pub name: PersonName,
    pub id_number: IdNumber,
    pub mobile: Option<Mobile>,
    pub guardian: Option<PersonName>,
}

impl Person {
    /// Validates the fields, collecting every problem (not just the first).
    pub(crate) fn parse(
        name: &str,
        id_number: &str,
        mobile: Option<&str>,
        guardian: Option<&str>,
        errors: &mut Vec<FieldError>,
    ) -> Option<Person> {
        let name = PersonName::parse(name)
            .map_err(|e| errors.push(FieldError::new("name", &e)))
            .ok();
        let id_number = IdNumber::parse(id_number)
            .map_err(|e| errors.push(FieldError::new("id_number", &e)))
            .ok();
        let mobile = match mobile.map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => match Mobile::parse(m) {
                Ok(m) => Some(Some(m)),
                Err(e) => {
                    errors.push(FieldError::new("mobile", &e));
                    None
                }
            },
            None => Some(None),
        };
        let guardian = match guardian.map(str::trim).filter(|g| !g.is_empty()) {
            Some(g) => match PersonName::parse(g) {
                Ok(g) => Some(Some(g)),
                Err(e) => {
                    errors.push(FieldError::new("guardian_name", &e));
                    None
                }
            },
            None => Some(None),
        };
        Some(Person {
            name: name?,
            id_number: id_number?,
            mobile: mobile?,
            guardian: guardian?,
        })
    }

    /// The person's age today.
    pub(crate) fn age(&self) -> u32 {
        self.id_number.age_on(OffsetDateTime::now_utc().date())
    }
}

impl App {
    /// Rule R4: the consents to record for a person, or the field error saying what is missing.
    pub(crate) fn consents_for(
        &self,
        person: &Person,
        given: &[ConsentKind],
        lang: Lang,
    ) -> Result<Vec<NewConsent>, FieldError> {
        let mut given = given.to_vec();
        if person.guardian.is_some() {
            given.push(ConsentKind::Guardian);
        }
        if let Err(e) = self.settings.consent.check(person.age(), &given) {
            let field = if self
                .settings
                .consent
                .missing(person.age(), &given)
                .contains(&ConsentKind::Guardian)
            {
                "guardian_name"
            } else {
                "consents"
            };
            return Err(FieldError::new(field, &e));
        }
        Ok(self
            .settings
            .consent
            .required(person.age())
            .into_iter()
            .map(|kind| NewConsent {
                kind,
                purpose: kind.purpose(lang).to_owned(),
                guardian_name: (kind == ConsentKind::Guardian)
                    .then(|| person.guardian.as_ref().map(|g| g.as_str().to_owned()))
                    .flatten(),
            })
            .collect())
    }

    /// The account record for a validated person.
    pub(crate) fn new_account(
        &self,
        person: &Person,
        consents: Vec<NewConsent>,
        origin: AccountOrigin,
        actor: &Actor,
    ) -> AppResult<NewAccount> {
        Ok(NewAccount {
            id: AccountId::new(),
            name: person.name.clone(),
            id_number: seal_id_number(&self.vault, &person.id_number)?,
            birth_date: person.id_number.birth_date(),
            gender: person.id_number.gender(),
            mobile: person
                .mobile
                .as_ref()
                .map(|m| seal_mobile(&self.vault, m))
                .transpose()?,
            origin,
            opened_by: if origin == AccountOrigin::Institution {
                actor.institution.clone()
            } else {
                None
            },
            consents,
        })
    }

    /// A citizen registers: account, consents and sign-in in one transaction (R5, R4, R7).
    pub async fn register(
        &self,
        input: RegistrationInput,
        lang: Lang,
        request_id: Option<String>,
    ) -> AppResult<(Account, UserId)> {
        let mut errors = Vec::new();
        if input.mobile.trim().is_empty() {
            errors.push(FieldError::text(
                "mobile",
                "mobile_required",
                "请填写手机号码，它是您的登录名。",
                "Enter your mobile number: it is how you sign in.",
            ));
        }
        let person = Person::parse(
            &input.name,
            &input.id_number,
            Some(&input.mobile),
            input.guardian_name.as_deref(),
            &mut errors,
        );
        self.check_new_password(&input.password, &input.password_confirm, &mut errors);
        let mut given = Vec::new();
        if input.consent_personal_info.is_some() {
            given.push(ConsentKind::PersonalInfo);
        }
        if input.consent_sensitive_id_number.is_some() {
            given.push(ConsentKind::SensitiveIdNumber);
        }
        let consents = person.as_ref().map(|p| self.consents_for(p, &given, lang));
        if let Some(Err(e)) = &consents {
            errors.push(e.clone());
        }
        let (Some(person), Some(Ok(consents)), true) = (person, consents, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let Some(mobile) = person.mobile.as_ref() else {
            return Err(AppError::Invalid(errors));
        };
        let hash = password::hash(input.password, self.settings.password_cost).await?;
        let actor = Actor {
            role: Role::Learner,
            ..Actor::system()
        }
        .with_request_id(request_id);
        let account = self.new_account(&person, consents, AccountOrigin::SelfRegistered, &actor)?;
        let user = NewUser {
            id: UserId::new(),
            login: learner_login(&self.vault, mobile),
            display_name: person.name.as_str().to_owned(),
            role: Role::Learner,
            institution_id: None,
            account_id: Some(account.id.clone()),
            password_hash: Some(hash),
        };
        let user_id = user.id.clone();
        let audit = Actor {
            user: Some(user_id.clone()),
            account: Some(account.id.clone()),
            ..actor
        }
        .audit("account.register", "account", account.id.as_str());
        let (stored, _) = self.store.register_learner(account, user, audit).await?;
        tracing::info!(account = %stored.id, "learner registered");
        Ok((stored, user_id))
    }

    /// An institution opens one account; an existing person's account is linked instead (R5).
    pub async fn open_account(
        &self,
        actor: &Actor,
        input: OpenAccountInput,
        lang: Lang,
    ) -> AppResult<Opened> {
        actor.require(Permission::OpenAccounts)?;
        actor.own_institution()?;
        let mut errors = Vec::new();
        let person = Person::parse(
            &input.name,
            &input.id_number,
            input.mobile.as_deref(),
            input.guardian_name.as_deref(),
            &mut errors,
        );
        let Some(person) = person.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        // The institution attests the person's consents, as in bulk opening.
        let consents = self
            .consents_for(
                &person,
                &[ConsentKind::PersonalInfo, ConsentKind::SensitiveIdNumber],
                lang,
            )
            .map_err(|e| AppError::Invalid(vec![e]))?;
        let account = self.new_account(&person, consents, AccountOrigin::Institution, actor)?;
        let audit = actor.audit("account.open", "account", account.id.as_str());
        Ok(self.store.open_account(account, audit).await?)
    }

    /// Reads an account if the actor may see it: its own learner, staff of a member
    /// institution, or a reviewer or administrator. Others get `NotFound`, not `Forbidden`,
    /// so that account ids cannot be probed.
    pub async fn account(&self, actor: &Actor, id: &AccountId) -> AppResult<Account> {
        let visible = if actor.account.as_ref() == Some(id)
            || actor.can(Permission::ReviewAccounts)
            || actor.can(Permission::FreezeAccounts)
        {
            true
        } else if actor.can(Permission::ViewInstitutionAccounts) {
            match &actor.institution {
                Some(inst) => self.store.is_member(inst, id).await?,
                None => false,
            }
        } else {
            false
        };
        if !visible {
            return Err(AppError::NotFound);
        }
        Ok(self.store.account(id).await?)
    }

    /// Lists accounts: reviewers and administrators see all, institution staff their members.
    pub async fn list_accounts(
        &self,
        actor: &Actor,
        mut filter: AccountFilter,
        id_number: Option<&str>,
        cursor: &Cursor,
    ) -> AppResult<Page<Account>> {
        if actor.can(Permission::ReviewAccounts) || actor.can(Permission::FreezeAccounts) {
            // all accounts
        } else if actor.can(Permission::ViewInstitutionAccounts) {
            filter.institution = Some(actor.own_institution()?.clone());
        } else {
            return Err(AppError::Forbidden);
        }
        if let Some(text) = id_number.map(str::trim).filter(|t| !t.is_empty()) {
            let id = IdNumber::parse(text).map_err(|e| AppError::field("id_number", &e))?;
            filter.id_index = Some(id_index(&self.vault, &id));
        }
        Ok(self.store.list_accounts(&filter, cursor).await?)
    }

    /// Real-name verification by a reviewer (R6). Exactly one of two concurrent reviewers wins.
    pub async fn verify_account(&self, actor: &Actor, id: &AccountId) -> AppResult<Account> {
        actor.require(Permission::ReviewAccounts)?;
        let current = self.store.account(id).await?;
        let next = current.status.verify()?;
        let audit = actor.audit("account.verify", "account", id.as_str());
        Ok(self
            .store
            .change_account_status(id, current.status, next, true, audit)
            .await?)
    }

    /// Freezes an account.
    pub async fn freeze_account(&self, actor: &Actor, id: &AccountId) -> AppResult<Account> {
        actor.require(Permission::FreezeAccounts)?;
        let current = self.store.account(id).await?;
        let next = current.status.freeze()?;
        let audit = actor.audit("account.freeze", "account", id.as_str());
        Ok(self
            .store
            .change_account_status(id, current.status, next, false, audit)
            .await?)
    }

    /// Unfreezes an account, back to verified if it had been verified.
    pub async fn unfreeze_account(&self, actor: &Actor, id: &AccountId) -> AppResult<Account> {
        actor.require(Permission::FreezeAccounts)?;
        let current = self.store.account(id).await?;
        let next = current.status.unfreeze(current.verified_at.is_some())?;
        let audit = actor.audit("account.unfreeze", "account", id.as_str());
        Ok(self
            .store
            .change_account_status(id, current.status, next, false, audit)
            .await?)
    }

    /// Reveals a full ID number to a permitted role, or to the learner themself (R3); the
    /// reveal is audited in the same transaction that reads it.
    pub async fn reveal_id_number(&self, actor: &Actor, id: &AccountId) -> AppResult<String> {
        let own = actor.account.as_ref() == Some(id);
        if !own && !actor.can(Permission::RevealIdNumber) {
            let _ = self
                .store
                .append_audit(actor.denied("account.reveal_id_number", "account", id.as_str()))
                .await;
            return Err(AppError::Forbidden);
        }
        let sealed = self
            .store
            .reveal_id_number(
                id,
                actor.audit("account.reveal_id_number", "account", id.as_str()),
            )
            .await?;
        let plain = self
            .vault
            .open_string(&sealed)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(plain.to_string())
    }

    /// The consents of the actor's own account.
    pub async fn own_consents(&self, actor: &Actor) -> AppResult<Vec<Consent>> {
        actor.require(Permission::ViewOwnAccount)?;
        let account = actor.account.as_ref().ok_or(AppError::Forbidden)?;
        Ok(self.store.consents(account).await?)
    }

    /// Withdraws one of the actor's own consents (R4).
    pub async fn withdraw_consent(&self, actor: &Actor, id: &ConsentId) -> AppResult<Consent> {
        actor.require(Permission::ManageOwnConsents)?;
        let account = actor.account.as_ref().ok_or(AppError::Forbidden)?;
        let audit = actor.audit("consent.withdraw", "consent", id.as_str());
        Ok(self.store.withdraw_consent(account, id, audit).await?)
    }

    /// Gives a consent again after a withdrawal.
    pub async fn grant_consent(
        &self,
        actor: &Actor,
        kind: ConsentKind,
        lang: Lang,
    ) -> AppResult<Consent> {
        actor.require(Permission::ManageOwnConsents)?;
        let account = actor.account.as_ref().ok_or(AppError::Forbidden)?;
        let consent = NewConsent {
            kind,
            purpose: kind.purpose(lang).to_owned(),
            guardian_name: None,
        };
        let audit = actor.audit("consent.grant", "consent", "");
        Ok(self.store.grant_consent(account, consent, audit).await?)
    }

    /// The status an account would move to on each reviewer action, for showing buttons.
    pub fn account_actions(status: AccountStatus) -> (bool, bool, bool) {
        (
            status.verify().is_ok(),
            status.freeze().is_ok(),
            status.unfreeze(false).is_ok(),
        )
    }
}
