//! The audit log: appended with the write it records, read newest first.

use async_trait::async_trait;
use lifelong_core::role::Role;
use lifelong_store::{
    AuditEntry, AuditFilter, AuditOutcome, AuditStore, Cursor, InstitutionId, NewAudit, Page,
    StoreResult, UserId,
};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::codec::{backend, ts, RowExt};
use crate::SqlStore;

/// Appends `audit` on `conn` (inside the caller's transaction).
pub(crate) async fn insert_audit(conn: &mut AnyConnection, audit: &NewAudit) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, actor_role, via_institution, action, target_kind, \
         target_id, outcome, detail, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(ts(OffsetDateTime::now_utc()))
    .bind(audit.actor.as_ref().map(|a| a.as_str().to_owned()))
    .bind(audit.actor_role.map(|r| r.as_str().to_owned()))
    .bind(
        audit
            .via_institution
            .as_ref()
            .map(|i| i.as_str().to_owned()),
    )
    .bind(&audit.action)
    .bind(&audit.target_kind)
    .bind(&audit.target_id)
    .bind(audit.outcome.as_str())
    .bind(audit.detail.to_string())
    .bind(audit.request_id.clone())
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(())
}

fn audit_from_row(row: &AnyRow) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        seq: row.int("seq")?,
        at: row.time("at")?,
        actor: row.opt_text("actor")?.map(UserId::from_db),
        actor_role: row.opt_text("actor_role")?.as_deref().and_then(Role::parse),
        via_institution: row.opt_text("via_institution")?.map(InstitutionId::from_db),
        action: row.text("action")?,
        target_kind: row.text("target_kind")?,
        target_id: row.text("target_id")?,
        outcome: row.parsed("outcome", AuditOutcome::parse)?,
        detail: serde_json::from_str(&row.text("detail")?).unwrap_or(serde_json::Value::Null),
        request_id: row.opt_text("request_id")?,
    })
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn append_audit(&self, audit: NewAudit) -> StoreResult<()> {
        let mut conn = self.write.acquire().await.map_err(backend)?;
        insert_audit(&mut conn, &audit).await
    }

    async fn list_audit(
        &self,
        filter: &AuditFilter,
        cursor: &Cursor,
    ) -> StoreResult<Page<AuditEntry>> {
        let before: i64 = cursor
            .after
            .as_deref()
            .and_then(|c| c.parse().ok())
            .unwrap_or(i64::MAX);
        let rows = sqlx::query(
            "SELECT * FROM audit_log WHERE seq < $1 \
             AND ($2 IS NULL OR actor = $2) \
             AND ($3 IS NULL OR substr(action, 1, length($3)) = $3) \
             AND ($4 IS NULL OR target_id = $4) \
             ORDER BY seq DESC LIMIT $5",
        )
        .bind(before)
        .bind(filter.actor.as_ref().map(|a| a.as_str().to_owned()))
        .bind(filter.action_prefix.clone())
        .bind(filter.target_id.clone())
        .bind(i64::from(cursor.limit) + 1)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        let entries = rows
            .iter()
            .map(audit_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(entries, cursor.limit, |e| {
            e.seq.to_string()
        }))
    }
}
