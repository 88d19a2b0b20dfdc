//! Institutions.

use async_trait::async_trait;
use lifelong_core::credit_code::CreditCode;
use lifelong_core::institution::{InstitutionKind, InstitutionStatus};
use lifelong_store::{
    Cursor, Institution, InstitutionId, InstitutionPatch, InstitutionStore, NewAudit,
    NewInstitution, Page, StoreError, StoreResult,
};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};
use time::OffsetDateTime;

use crate::audit::insert_audit;
use crate::codec::{backend, conflict_on_unique, ts, RowExt};
use crate::SqlStore;

pub(crate) fn institution_from_row(row: &AnyRow) -> StoreResult<Institution> {
    Ok(Institution {
        id: InstitutionId::from_db(row.text("id")?),
        credit_code: row.parsed("credit_code", |t| CreditCode::parse(t).ok())?,
        name_zh: row.text("name_zh")?,
        name_en: row.text("name_en")?,
        kind: row.parsed("kind", InstitutionKind::parse)?,
        district_code: row.text("district_code")?,
        status: row.parsed("status", InstitutionStatus::parse)?,
        trusted: row.flag("trusted")?,
        created_at: row.time("created_at")?,
    })
}

/// Reads one institution with any executor (the pool, or a transaction).
pub(crate) async fn load_institution<'e>(
    exec: impl Executor<'e, Database = Any>,
    id: &InstitutionId,
) -> StoreResult<Institution> {
    let row = sqlx::query("SELECT * FROM institutions WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(exec)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
    institution_from_row(&row)
}

#[async_trait]
impl InstitutionStore for SqlStore {
    async fn create_institution(
        &self,
        new: NewInstitution,
        audit: NewAudit,
    ) -> StoreResult<Institution> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO institutions (id, credit_code, name_zh, name_en, kind, district_code, \
             status, trusted, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(new.id.as_str())
        .bind(new.credit_code.as_str())
        .bind(&new.name_zh)
        .bind(&new.name_en)
        .bind(new.kind.as_str())
        .bind(&new.district_code)
        .bind(InstitutionStatus::Active.as_str())
        .bind(i64::from(new.trusted))
        .bind(ts(OffsetDateTime::now_utc()))
        .execute(&mut *tx)
        .await
        .map_err(conflict_on_unique("institution_exists"))?;
        insert_audit(&mut tx, &audit).await?;
        let institution = load_institution(&mut *tx, &new.id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(institution)
    }

    async fn update_institution(
        &self,
        id: &InstitutionId,
        patch: InstitutionPatch,
        audit: NewAudit,
    ) -> StoreResult<Institution> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let done = sqlx::query(
            "UPDATE institutions SET name_zh = $2, name_en = $3, kind = $4, district_code = $5, \
             status = $6, trusted = $7 WHERE id = $1",
        )
        .bind(id.as_str())
        .bind(&patch.name_zh)
        .bind(&patch.name_en)
        .bind(patch.kind.as_str())
        .bind(&patch.district_code)
        .bind(patch.status.as_str())
        .bind(i64::from(patch.trusted))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        insert_audit(&mut tx, &audit).await?;
        let institution = load_institution(&mut *tx, id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(institution)
    }

    async fn institution(&self, id: &InstitutionId) -> StoreResult<Institution> {
        load_institution(&self.read, id).await
    }

    async fn list_institutions(&self, cursor: &Cursor) -> StoreResult<Page<Institution>> {
        let rows = sqlx::query("SELECT * FROM institutions WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(cursor.after.clone().unwrap_or_default())
            .bind(i64::from(cursor.limit) + 1)
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        let items = rows
            .iter()
            .map(institution_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, cursor.limit, |i| {
            i.id.to_string()
        }))
    }
}
