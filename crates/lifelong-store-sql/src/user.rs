//! Users, sign-in bookkeeping, sessions and API tokens.

use async_trait::async_trait;
use lifelong_core::role::Role;
use lifelong_store::{
    AccountId, ApiToken, Cursor, InstitutionId, NewApiToken, NewAudit, NewSession, NewUser, Page,
    StoreError, StoreResult, TokenId, User, UserId, UserPatch, UserStore,
};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, Executor};
use time::{Duration, OffsetDateTime};

use crate::audit::insert_audit;
use crate::codec::{backend, conflict_on_unique, ts, RowExt};
use crate::SqlStore;

fn user_from_row(row: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: UserId::from_db(row.text("id")?),
        login: row.text("login")?,
        display_name: row.text("display_name")?,
        role: row.parsed("role", Role::parse)?,
        institution_id: row.opt_text("institution_id")?.map(InstitutionId::from_db),
        account_id: row.opt_text("account_id")?.map(AccountId::from_db),
        active: row.flag("active")?,
        password_hash: row.opt_text("password_hash")?,
        failed_logins: u32::try_from(row.int("failed_logins")?).unwrap_or(u32::MAX),
        locked_until: row.opt_time("locked_until")?,
        created_at: row.time("created_at")?,
    })
}

fn token_from_row(row: &AnyRow) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: TokenId::from_db(row.text("id")?),
        institution_id: InstitutionId::from_db(row.text("institution_id")?),
        name: row.text("name")?,
        prefix: row.text("prefix")?,
        created_at: row.time("created_at")?,
        last_used_at: row.opt_time("last_used_at")?,
        revoked_at: row.opt_time("revoked_at")?,
    })
}

/// Reads one user with any executor.
pub(crate) async fn load_user<'e>(
    exec: impl Executor<'e, Database = Any>,
    id: &UserId,
) -> StoreResult<User> {
    let row = sqlx::query("SELECT * FROM users WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(exec)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
    user_from_row(&row)
}

/// Inserts a user within the caller's transaction.
pub(crate) async fn insert_user(conn: &mut AnyConnection, user: &NewUser) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO users (id, login, display_name, role, institution_id, account_id, active, \
         password_hash, failed_logins, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, 0, $8)",
    )
    .bind(user.id.as_str())
    .bind(&user.login)
    .bind(&user.display_name)
    .bind(user.role.as_str())
    .bind(user.institution_id.as_ref().map(|i| i.as_str().to_owned()))
    .bind(user.account_id.as_ref().map(|a| a.as_str().to_owned()))
    .bind(user.password_hash.clone())
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(conn)
    .await
    .map_err(conflict_on_unique("login_taken"))?;
    Ok(())
}

#[async_trait]
impl UserStore for SqlStore {
    async fn create_user(&self, user: NewUser, audit: NewAudit) -> StoreResult<User> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        insert_user(&mut tx, &user).await?;
        insert_audit(&mut tx, &audit).await?;
        let stored = load_user(&mut *tx, &user.id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(stored)
    }

    async fn user(&self, id: &UserId) -> StoreResult<User> {
        load_user(&self.read, id).await
    }

    async fn user_by_login(&self, login: &str) -> StoreResult<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE login = $1")
            .bind(login)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn user_of_account(&self, account: &AccountId) -> StoreResult<Option<User>> {
        let row = sqlx::query("SELECT * FROM users WHERE account_id = $1")
            .bind(account.as_str())
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn list_users(&self, cursor: &Cursor) -> StoreResult<Page<User>> {
        let rows = sqlx::query(
            "SELECT * FROM users WHERE id > $1 AND role <> 'learner' ORDER BY id LIMIT $2",
        )
        .bind(cursor.after.clone().unwrap_or_default())
        .bind(i64::from(cursor.limit) + 1)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        let items = rows
            .iter()
            .map(user_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, cursor.limit, |u| {
            u.id.to_string()
        }))
    }

    async fn update_user(
        &self,
        id: &UserId,
        patch: UserPatch,
        audit: NewAudit,
    ) -> StoreResult<User> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let done = sqlx::query(
            "UPDATE users SET display_name = $2, role = $3, institution_id = $4, active = $5 WHERE id = $1",
        )
        .bind(id.as_str())
        .bind(&patch.display_name)
        .bind(patch.role.as_str())
        .bind(patch.institution_id.as_ref().map(|i| i.as_str().to_owned()))
        .bind(i64::from(patch.active))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if !patch.active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id.as_str())
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
        }
        insert_audit(&mut tx, &audit).await?;
        let user = load_user(&mut *tx, id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(user)
    }

    async fn set_password(
        &self,
        id: &UserId,
        password_hash: &str,
        audit: NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let done = sqlx::query(
            "UPDATE users SET password_hash = $2, failed_logins = 0, locked_until = NULL WHERE id = $1",
        )
        .bind(id.as_str())
        .bind(password_hash)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)
    }

    async fn record_login_failure(
        &self,
        id: &UserId,
        max_failures: u32,
        lock_until: OffsetDateTime,
        audit: NewAudit,
    ) -> StoreResult<User> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        sqlx::query(
            "UPDATE users SET failed_logins = failed_logins + 1, \
             locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END \
             WHERE id = $1",
        )
        .bind(id.as_str())
        .bind(i64::from(max_failures))
        .bind(ts(lock_until))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        // The count restarts once a lock is set, so the next round starts from zero.
        sqlx::query("UPDATE users SET failed_logins = 0 WHERE id = $1 AND failed_logins >= $2")
            .bind(id.as_str())
            .bind(i64::from(max_failures))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        insert_audit(&mut tx, &audit).await?;
        let user = load_user(&mut *tx, id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(user)
    }

    async fn record_login_success(&self, session: NewSession, audit: NewAudit) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(session.user_id.as_str())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(&session.token_hash)
            .bind(session.user_id.as_str())
            .bind(ts(OffsetDateTime::now_utc()))
            .bind(ts(session.expires_at))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<User>> {
        let row = sqlx::query(
            "SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
        )
        .bind(token_hash)
        .bind(ts(now))
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.write)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn purge_sessions(&self, now: OffsetDateTime) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(ts(now))
            .execute(&self.write)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn create_token(&self, token: NewApiToken, audit: NewAudit) -> StoreResult<ApiToken> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO api_tokens (id, institution_id, name, token_hash, prefix, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token.id.as_str())
        .bind(token.institution_id.as_str())
        .bind(&token.name)
        .bind(&token.token_hash)
        .bind(&token.prefix)
        .bind(token.created_by.as_ref().map(|u| u.as_str().to_owned()))
        .bind(ts(OffsetDateTime::now_utc()))
        .execute(&mut *tx)
        .await
        .map_err(conflict_on_unique("token_exists"))?;
        insert_audit(&mut tx, &audit).await?;
        let row = sqlx::query("SELECT * FROM api_tokens WHERE id = $1")
            .bind(token.id.as_str())
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
        let stored = token_from_row(&row)?;
        tx.commit().await.map_err(backend)?;
        Ok(stored)
    }

    async fn use_token(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<ApiToken>> {
        let row =
            sqlx::query("SELECT * FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
                .bind(token_hash)
                .fetch_optional(&self.read)
                .await
                .map_err(backend)?;
        let Some(token) = row.as_ref().map(token_from_row).transpose()? else {
            return Ok(None);
        };
        let stale = token
            .last_used_at
            .is_none_or(|t| now - t > Duration::minutes(1));
        if stale {
            sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
                .bind(token.id.as_str())
                .bind(ts(now))
                .execute(&self.write)
                .await
                .map_err(backend)?;
        }
        Ok(Some(token))
    }

    async fn list_tokens(&self, institution: &InstitutionId) -> StoreResult<Vec<ApiToken>> {
        let rows =
            sqlx::query("SELECT * FROM api_tokens WHERE institution_id = $1 ORDER BY id DESC")
                .bind(institution.as_str())
                .fetch_all(&self.read)
                .await
                .map_err(backend)?;
        rows.iter().map(token_from_row).collect()
    }

    async fn revoke_token(
        &self,
        institution: &InstitutionId,
        id: &TokenId,
        audit: NewAudit,
    ) -> StoreResult<ApiToken> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND institution_id = $2 AND revoked_at IS NULL",
        )
        .bind(id.as_str())
        .bind(institution.as_str())
        .bind(ts(OffsetDateTime::now_utc()))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let row = sqlx::query("SELECT * FROM api_tokens WHERE id = $1 AND institution_id = $2")
            .bind(id.as_str())
            .bind(institution.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        insert_audit(&mut tx, &audit).await?;
        let token = token_from_row(&row)?;
        tx.commit().await.map_err(backend)?;
        Ok(token)
    }
}
