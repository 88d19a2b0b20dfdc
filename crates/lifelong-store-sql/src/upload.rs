//! Bulk account opening: uploads kept between the dry run and the confirmation, and the
//! all-or-nothing commit.

use std::collections::HashMap;

use async_trait::async_trait;
use lifelong_store::{
    AccountId, BulkOpenOutcome, Cursor, InstitutionId, NewAccount, NewAudit, NewUpload, Page,
    StoreError, StoreResult, Upload, UploadId, UploadPurpose, UploadStatus, UploadStore, UserId,
};
use sqlx::any::AnyRow;
use time::OffsetDateTime;

use crate::account::{existing_by_index, insert_accounts, link_members};
use crate::audit::insert_audit;
use crate::codec::{backend, ts, RowExt};
use crate::SqlStore;

const UPLOAD_COLUMNS: &str = "id, purpose, institution_id, uploaded_by, file_name, file_sha256, row_count, status, \
                              created_count, linked_count, unchanged_count, created_at, committed_at";

fn count(v: Option<i64>) -> u32 {
    v.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

fn upload_from_row(row: &AnyRow) -> StoreResult<Upload> {
    let status = row.parsed("status", UploadStatus::parse)?;
    let outcome = (status == UploadStatus::Committed).then(|| -> StoreResult<BulkOpenOutcome> {
        Ok(BulkOpenOutcome {
            created: count(row.opt_int("created_count")?),
            linked: count(row.opt_int("linked_count")?),
            unchanged: count(row.opt_int("unchanged_count")?),
        })
    });
    Ok(Upload {
        id: UploadId::from_db(row.text("id")?),
        purpose: row.parsed("purpose", UploadPurpose::parse)?,
        institution_id: InstitutionId::from_db(row.text("institution_id")?),
        uploaded_by: row.opt_text("uploaded_by")?.map(UserId::from_db),
        file_name: row.text("file_name")?,
        file_sha256: row.text("file_sha256")?,
        rows: count(Some(row.int("row_count")?)),
        status,
        outcome: outcome.transpose()?,
        created_at: row.time("created_at")?,
        committed_at: row.opt_time("committed_at")?,
    })
}

#[async_trait]
impl UploadStore for SqlStore {
    async fn save_upload(&self, upload: NewUpload, audit: NewAudit) -> StoreResult<Upload> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO uploads (id, institution_id, uploaded_by, file_name, file_sha256, \
             sealed_content, row_count, status, created_at, purpose) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(upload.id.as_str())
        .bind(upload.institution_id.as_str())
        .bind(upload.uploaded_by.as_ref().map(|u| u.as_str().to_owned()))
        .bind(&upload.file_name)
        .bind(&upload.file_sha256)
        .bind(upload.sealed_content)
        .bind(i64::from(upload.rows))
        .bind(UploadStatus::Checked.as_str())
        .bind(ts(OffsetDateTime::now_utc()))
        .bind(upload.purpose.as_str())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        insert_audit(&mut tx, &audit).await?;
        let row = sqlx::query(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE id = $1"
        ))
        .bind(upload.id.as_str())
        .fetch_one(&mut *tx)
        .await
        .map_err(backend)?;
        let stored = upload_from_row(&row)?;
        tx.commit().await.map_err(backend)?;
        Ok(stored)
    }

    async fn upload(&self, id: &UploadId) -> StoreResult<(Upload, Vec<u8>)> {
        let row = sqlx::query(&format!(
            "SELECT {UPLOAD_COLUMNS}, sealed_content FROM uploads WHERE id = $1"
        ))
        .bind(id.as_str())
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
        Ok((upload_from_row(&row)?, row.bytes("sealed_content")?))
    }

    async fn list_uploads(
        &self,
        institution: &InstitutionId,
        cursor: &Cursor,
    ) -> StoreResult<Page<Upload>> {
        let before = cursor.after.clone().unwrap_or_else(|| "~".to_owned());
        let rows = sqlx::query(&format!(
            "SELECT {UPLOAD_COLUMNS} FROM uploads WHERE institution_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"
        ))
        .bind(institution.as_str())
        .bind(before)
        .bind(i64::from(cursor.limit) + 1)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        let items = rows
            .iter()
            .map(upload_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, cursor.limit, |u| {
            u.id.to_string()
        }))
    }

    async fn commit_upload(
        &self,
        id: &UploadId,
        accounts: Vec<NewAccount>,
        audit: NewAudit,
    ) -> StoreResult<BulkOpenOutcome> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let row: Option<(String, String, String)> =
            sqlx::query_as("SELECT institution_id, status, purpose FROM uploads WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(backend)?;
        let (institution, status, purpose) = row.ok_or(StoreError::NotFound)?;
        if purpose != UploadPurpose::Accounts.as_str() {
            return Err(StoreError::NotFound);
        }
        if status != UploadStatus::Checked.as_str() {
            return Err(StoreError::Conflict("upload_already_committed"));
        }
        let institution = InstitutionId::from_db(institution);

        let indexes: Vec<String> = accounts.iter().map(|a| a.id_number.index.clone()).collect();
        let existing: HashMap<String, AccountId> = existing_by_index(&mut tx, &indexes)
            .await?
            .into_iter()
            .collect();
        let (old, new): (Vec<&NewAccount>, Vec<&NewAccount>) = accounts
            .iter()
            .partition(|a| existing.contains_key(&a.id_number.index));
        let new: Vec<NewAccount> = new.into_iter().cloned().collect();
        insert_accounts(&mut tx, &new).await?;
        link_members(
            &mut tx,
            &institution,
            &new.iter().map(|a| &a.id).collect::<Vec<_>>(),
        )
        .await?;
        let old_ids: Vec<&AccountId> = old
            .iter()
            .filter_map(|a| existing.get(&a.id_number.index))
            .collect();
        let linked = link_members(&mut tx, &institution, &old_ids).await?;

        let outcome = BulkOpenOutcome {
            created: u32::try_from(new.len()).unwrap_or(u32::MAX),
            linked: u32::try_from(linked).unwrap_or(u32::MAX),
            unchanged: u32::try_from(old_ids.len() as u64 - linked).unwrap_or(u32::MAX),
        };
        sqlx::query(
            "UPDATE uploads SET status = $2, created_count = $3, linked_count = $4, \
             unchanged_count = $5, committed_at = $6 WHERE id = $1",
        )
        .bind(id.as_str())
        .bind(UploadStatus::Committed.as_str())
        .bind(i64::from(outcome.created))
        .bind(i64::from(outcome.linked))
        .bind(i64::from(outcome.unchanged))
        .bind(ts(OffsetDateTime::now_utc()))
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        let detail = serde_json::json!({
            "created": outcome.created, "linked": outcome.linked, "unchanged": outcome.unchanged
        });
        insert_audit(&mut tx, &audit.with_detail(detail)).await?;
        tx.commit().await.map_err(backend)?;
        Ok(outcome)
    }
}
