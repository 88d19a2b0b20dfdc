//! Learning accounts, their consents and memberships.

use std::collections::HashSet;

use async_trait::async_trait;
use lifelong_core::account::{AccountOrigin, AccountStatus};
use lifelong_core::consent::ConsentKind;
use lifelong_core::id_number::Gender;
use lifelong_core::person_name::PersonName;
use lifelong_store::{
    Account, AccountFilter, AccountId, AccountStore, Consent, ConsentId, Cursor, InstitutionId,
    NewAccount, NewAudit, NewConsent, NewUser, Opened, Page, StoreError, StoreResult, User,
};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor};
use time::OffsetDateTime;

use crate::audit::insert_audit;
use crate::codec::{
    backend, conflict_on_unique, date, parse_date, ts, RowExt, PARAMS_PER_STATEMENT,
};
use crate::user::{insert_user, load_user};
use crate::SqlStore;

pub(crate) fn gender_text(g: Gender) -> &'static str {
    match g {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}

fn parse_gender(text: &str) -> Option<Gender> {
    match text {
        "male" => Some(Gender::Male),
        "female" => Some(Gender::Female),
        _ => None,
    }
}

const ACCOUNT_COLUMNS: &str = "id, name, id_masked, birth_date, gender, mobile_masked, status, \
                               verified_at, origin, opened_by, created_at, updated_at";

fn account_from_row(row: &AnyRow) -> StoreResult<Account> {
    Ok(Account {
        id: AccountId::from_db(row.text("id")?),
        name: row.parsed("name", |t| PersonName::parse(t).ok())?,
        id_number_masked: row.text("id_masked")?,
        birth_date: parse_date(&row.text("birth_date")?)?,
        gender: row.parsed("gender", parse_gender)?,
        mobile_masked: row.opt_text("mobile_masked")?,
        status: row.parsed("status", AccountStatus::parse)?,
        verified_at: row.opt_time("verified_at")?,
        origin: row.parsed("origin", AccountOrigin::parse)?,
        opened_by: row.opt_text("opened_by")?.map(InstitutionId::from_db),
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
    })
}

fn consent_from_row(row: &AnyRow) -> StoreResult<Consent> {
    Ok(Consent {
        id: ConsentId::from_db(row.text("id")?),
        account_id: AccountId::from_db(row.text("account_id")?),
        kind: row.parsed("kind", ConsentKind::parse)?,
        purpose: row.text("purpose")?,
        guardian_name: row.opt_text("guardian_name")?,
        granted_at: row.time("granted_at")?,
        withdrawn_at: row.opt_time("withdrawn_at")?,
    })
}

/// Reads one account with any executor.
pub(crate) async fn load_account<'e>(
    exec: impl Executor<'e, Database = Any>,
    id: &AccountId,
) -> StoreResult<Account> {
    let row = sqlx::query(&format!(
        "SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1"
    ))
    .bind(id.as_str())
    .fetch_optional(exec)
    .await
    .map_err(backend)?
    .ok_or(StoreError::NotFound)?;
    account_from_row(&row)
}

/// The account holding this ID-number blind index, if any.
async fn account_id_by_index(
    conn: &mut AnyConnection,
    index: &str,
) -> StoreResult<Option<AccountId>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT id FROM accounts WHERE id_index = $1")
        .bind(index)
        .fetch_optional(conn)
        .await
        .map_err(backend)?;
    Ok(row.map(|(id,)| AccountId::from_db(id)))
}

/// The number of bind parameters of one account row in [`insert_accounts`].
const ACCOUNT_PARAMS: usize = 15;

/// Inserts accounts in multi-row statements (a few hundred rows each), within the caller's
/// transaction. A person who already has an account makes the whole call fail with
/// `Conflict("account_exists")`.
pub(crate) async fn insert_accounts(
    conn: &mut AnyConnection,
    accounts: &[NewAccount],
) -> StoreResult<()> {
    let now = ts(OffsetDateTime::now_utc());
    for chunk in accounts.chunks(PARAMS_PER_STATEMENT / ACCOUNT_PARAMS) {
        let mut sql = String::from(
            "INSERT INTO accounts (id, name, id_sealed, id_index, id_masked, birth_date, gender, \
             mobile_sealed, mobile_index, mobile_masked, status, verified_at, origin, opened_by, \
             created_at, updated_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * ACCOUNT_PARAMS;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${},${},${},${},${},${},${},${},${},${},${},NULL,${},${},${},${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9,
                b + 10,
                b + 11,
                b + 12,
                b + 13,
                b + 14,
                b + 15
            ));
        }
        let mut q = sqlx::query(&sql);
        for a in chunk {
            q = q
                .bind(a.id.as_str())
                .bind(a.name.as_str())
                .bind(a.id_number.sealed.clone())
                .bind(a.id_number.index.as_str())
                .bind(a.id_number.masked.as_str())
                .bind(date(a.birth_date))
                .bind(gender_text(a.gender))
                .bind(a.mobile.as_ref().map(|m| m.sealed.clone()))
                .bind(a.mobile.as_ref().map(|m| m.index.clone()))
                .bind(a.mobile.as_ref().map(|m| m.masked.clone()))
                .bind(AccountStatus::Registered.as_str())
                .bind(a.origin.as_str())
                .bind(a.opened_by.as_ref().map(|i| i.as_str().to_owned()))
                .bind(now.as_str())
                .bind(now.as_str());
        }
        q.execute(&mut *conn)
            .await
            .map_err(conflict_on_unique("account_exists"))?;
    }
    let consents: Vec<(&AccountId, &NewConsent)> = accounts
        .iter()
        .flat_map(|a| a.consents.iter().map(move |c| (&a.id, c)))
        .collect();
    for chunk in consents.chunks(PARAMS_PER_STATEMENT / 5) {
        let mut sql = String::from(
            "INSERT INTO consents (id, account_id, kind, purpose, guardian_name, granted_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 5;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${},${},${},${},${},$1)",
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6
            ));
        }
        let mut q = sqlx::query(&sql).bind(now.as_str());
        for (account, consent) in chunk {
            q = q
                .bind(ConsentId::new().to_string())
                .bind(account.as_str())
                .bind(consent.kind.as_str())
                .bind(consent.purpose.as_str())
                .bind(consent.guardian_name.clone());
        }
        q.execute(&mut *conn).await.map_err(backend)?;
    }
    Ok(())
}

/// Links accounts to an institution; returns how many links are new.
pub(crate) async fn link_members(
    conn: &mut AnyConnection,
    institution: &InstitutionId,
    accounts: &[&AccountId],
) -> StoreResult<u64> {
    let now = ts(OffsetDateTime::now_utc());
    let mut added = 0;
    for chunk in accounts.chunks(PARAMS_PER_STATEMENT) {
        let mut sql = String::from(
            "INSERT INTO memberships (institution_id, account_id, created_at) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("($1, ${}, $2)", i + 3));
        }
        sql.push_str(" ON CONFLICT DO NOTHING");
        let mut q = sqlx::query(&sql)
            .bind(institution.as_str())
            .bind(now.as_str());
        for a in chunk {
            q = q.bind(a.as_str());
        }
        added += q
            .execute(&mut *conn)
            .await
            .map_err(backend)?
            .rows_affected();
    }
    Ok(added)
}

/// The existing accounts among these ID-number blind indexes, as (index, account id).
pub(crate) async fn existing_by_index(
    conn: &mut AnyConnection,
    indexes: &[String],
) -> StoreResult<Vec<(String, AccountId)>> {
    let mut found = Vec::new();
    for chunk in indexes.chunks(PARAMS_PER_STATEMENT) {
        let placeholders = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!("SELECT id_index, id FROM accounts WHERE id_index IN ({placeholders})");
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        for idx in chunk {
            q = q.bind(idx.as_str());
        }
        for (index, id) in q.fetch_all(&mut *conn).await.map_err(backend)? {
            found.push((index, AccountId::from_db(id)));
        }
    }
    Ok(found)
}

async fn insert_consent(
    conn: &mut AnyConnection,
    account: &AccountId,
    consent: &NewConsent,
) -> StoreResult<ConsentId> {
    let id = ConsentId::new();
    sqlx::query(
        "INSERT INTO consents (id, account_id, kind, purpose, guardian_name, granted_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.as_str())
    .bind(account.as_str())
    .bind(consent.kind.as_str())
    .bind(&consent.purpose)
    .bind(consent.guardian_name.clone())
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(id)
}

async fn load_consent(
    conn: &mut AnyConnection,
    account: &AccountId,
    id: &ConsentId,
) -> StoreResult<Consent> {
    let row = sqlx::query("SELECT * FROM consents WHERE id = $1 AND account_id = $2")
        .bind(id.as_str())
        .bind(account.as_str())
        .fetch_optional(conn)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
    consent_from_row(&row)
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn register_learner(
        &self,
        account: NewAccount,
        user: NewUser,
        audit: NewAudit,
    ) -> StoreResult<(Account, User)> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        insert_accounts(&mut tx, std::slice::from_ref(&account)).await?;
        insert_user(&mut tx, &user).await?;
        insert_audit(&mut tx, &audit).await?;
        let stored = load_account(&mut *tx, &account.id).await?;
        let stored_user = load_user(&mut *tx, &user.id).await?;
        tx.commit().await.map_err(backend)?;
        Ok((stored, stored_user))
    }

    async fn open_account(&self, account: NewAccount, audit: NewAudit) -> StoreResult<Opened> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let existing = account_id_by_index(&mut tx, &account.id_number.index).await?;
        let (id, created) = match existing {
            Some(id) => (id, false),
            None => {
                insert_accounts(&mut tx, std::slice::from_ref(&account)).await?;
                (account.id.clone(), true)
            }
        };
        if let Some(institution) = &account.opened_by {
            link_members(&mut tx, institution, &[&id]).await?;
        }
        let audit = audit
            .with_target("account", id.as_str())
            .with_detail(serde_json::json!({ "created": created }));
        insert_audit(&mut tx, &audit).await?;
        let stored = load_account(&mut *tx, &id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(if created {
            Opened::Created(stored)
        } else {
            Opened::Existing(stored)
        })
    }

    async fn account(&self, id: &AccountId) -> StoreResult<Account> {
        load_account(&self.read, id).await
    }

    async fn existing_id_indexes(&self, indexes: &[String]) -> StoreResult<HashSet<String>> {
        let mut conn = self.read.acquire().await.map_err(backend)?;
        Ok(existing_by_index(&mut conn, indexes)
            .await?
            .into_iter()
            .map(|(idx, _)| idx)
            .collect())
    }

    async fn account_ids_by_index(
        &self,
        indexes: &[String],
    ) -> StoreResult<Vec<(String, AccountId)>> {
        let mut conn = self.read.acquire().await.map_err(backend)?;
        existing_by_index(&mut conn, indexes).await
    }

    async fn is_member(
        &self,
        institution: &InstitutionId,
        account: &AccountId,
    ) -> StoreResult<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM memberships WHERE institution_id = $1 AND account_id = $2",
        )
        .bind(institution.as_str())
        .bind(account.as_str())
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        Ok(row.is_some())
    }

    async fn list_accounts(
        &self,
        filter: &AccountFilter,
        cursor: &Cursor,
    ) -> StoreResult<Page<Account>> {
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE id > $1 \
             AND ($2 IS NULL OR status = $2) \
             AND ($3 IS NULL OR EXISTS (SELECT 1 FROM memberships m \
                  WHERE m.account_id = a.id AND m.institution_id = $3)) \
             AND ($4 IS NULL OR id_index = $4) \
             ORDER BY id LIMIT $5"
        );
        let rows = sqlx::query(&sql)
            .bind(cursor.after.clone().unwrap_or_default())
            .bind(filter.status.map(|s| s.as_str().to_owned()))
            .bind(filter.institution.as_ref().map(|i| i.as_str().to_owned()))
            .bind(filter.id_index.clone())
            .bind(i64::from(cursor.limit) + 1)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        let items = rows
            .iter()
            .map(account_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, cursor.limit, |a| {
            a.id.to_string()
        }))
    }

    async fn change_account_status(
        &self,
        id: &AccountId,
        from: AccountStatus,
        to: AccountStatus,
        verified: bool,
        audit: NewAudit,
    ) -> StoreResult<Account> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let now = ts(OffsetDateTime::now_utc());
        let done = sqlx::query(
            "UPDATE accounts SET status = $3, updated_at = $4, \
             verified_at = CASE WHEN $5 = 1 THEN $4 ELSE verified_at END \
             WHERE id = $1 AND status = $2",
        )
        .bind(id.as_str())
        .bind(from.as_str())
        .bind(to.as_str())
        .bind(now.as_str())
        .bind(i64::from(verified))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            // Either it does not exist, or someone else changed it first.
            load_account(&mut *tx, id).await?;
            return Err(StoreError::Conflict("account_state_changed"));
        }
        insert_audit(&mut tx, &audit).await?;
        let account = load_account(&mut *tx, id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(account)
    }

    async fn reveal_id_number(&self, id: &AccountId, audit: NewAudit) -> StoreResult<Vec<u8>> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        insert_audit(&mut tx, &audit).await?;
        let row = sqlx::query("SELECT id_sealed FROM accounts WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        let sealed = row.bytes("id_sealed")?;
        tx.commit().await.map_err(backend)?;
        Ok(sealed)
    }

    async fn consents(&self, account: &AccountId) -> StoreResult<Vec<Consent>> {
        let rows =
            sqlx::query("SELECT * FROM consents WHERE account_id = $1 ORDER BY granted_at, id")
                .bind(account.as_str())
                .fetch_all(&self.read)
                .await
                .map_err(backend)?;
        rows.iter().map(consent_from_row).collect()
    }

    async fn grant_consent(
        &self,
        account: &AccountId,
        consent: NewConsent,
        audit: NewAudit,
    ) -> StoreResult<Consent> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        load_account(&mut *tx, account).await?;
        let id = insert_consent(&mut tx, account, &consent).await?;
        insert_audit(&mut tx, &audit.with_target("consent", id.as_str())).await?;
        let stored = load_consent(&mut tx, account, &id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(stored)
    }

    async fn withdraw_consent(
        &self,
        account: &AccountId,
        id: &ConsentId,
        audit: NewAudit,
    ) -> StoreResult<Consent> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let done = sqlx::query(
            "UPDATE consents SET withdrawn_at = $3 WHERE id = $1 AND account_id = $2 AND withdrawn_at IS NULL",
        )
        .bind(id.as_str())
        .bind(account.as_str())
        .bind(ts(OffsetDateTime::now_utc()))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            load_consent(&mut tx, account, id).await?;
            return Err(StoreError::Conflict("consent_already_withdrawn"));
        }
        insert_audit(&mut tx, &audit).await?;
        let stored = load_consent(&mut tx, account, id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(stored)
    }
}
