//! Conversion applications, decisions and exemptions. A decision is one transaction: the
//! application moves from `pending` at the version the decider saw, the exemptions are
//! inserted (their unique constraints refuse a second use of a course or an outcome in a
//! programme, R21), their entries are appended to the learner's archive, and the audit record
//! is written.

use async_trait::async_trait;
use lifelong_core::credits::Credits;
use lifelong_core::outcome::OutcomeKind;
use lifelong_store::{
    AccountId, ApplicationId, ApplicationStatus, ConversionApplication, ConversionStore,
    ConversionVerdict, Cursor, EntryId, ExemptionId, InstitutionId, NewAudit,
    NewConversionApplication, NewEntry, OutcomeId, Page, StoreError, StoreResult, StoredExemption,
    UserId,
};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::archive::{append_entries_in, retry_when_chains_move};
use crate::audit::insert_audit;
use crate::codec::{backend, conflict_on_unique, date, parse_date, ts, RowExt};
use crate::SqlStore;

const APPLICATION_COLUMNS: &str = "id, account_id, programme_code, institution_id, status, \
     applied_on, due_on, requested, explanation, decision, submitted_at, decided_at, decided_by, \
     version";

const EXEMPTION_COLUMNS: &str = "id, account_id, programme_code, course_code, outcome_id, \
     outcome_kind, rule_code, rule_version, credits, application_id, entry_id, created_at";

fn application_from_row(row: &AnyRow) -> StoreResult<ConversionApplication> {
    Ok(ConversionApplication {
        id: ApplicationId::from_db(row.text("id")?),
        account_id: AccountId::from_db(row.text("account_id")?),
        programme_code: row.text("programme_code")?,
        institution_id: InstitutionId::from_db(row.text("institution_id")?),
        status: row.parsed("status", ApplicationStatus::parse)?,
        applied_on: parse_date(&row.text("applied_on")?)?,
        due_on: parse_date(&row.text("due_on")?)?,
        requested: serde_json::from_str(&row.text("requested")?)
            .map_err(|e| StoreError::corrupt("requested", e))?,
        explanation: row.text("explanation")?,
        decision: row.opt_text("decision")?,
        submitted_at: row.time("submitted_at")?,
        decided_at: row.opt_time("decided_at")?,
        decided_by: row.opt_text("decided_by")?.map(UserId::from_db),
        version: row.int("version")?,
    })
}

fn exemption_from_row(row: &AnyRow) -> StoreResult<StoredExemption> {
    let version = row.int("rule_version")?;
    Ok(StoredExemption {
        id: ExemptionId::from_db(row.text("id")?),
        account_id: AccountId::from_db(row.text("account_id")?),
        programme_code: row.text("programme_code")?,
        course_code: row.text("course_code")?,
        outcome_id: OutcomeId::from_db(row.text("outcome_id")?),
        outcome_kind: row.parsed("outcome_kind", OutcomeKind::parse)?,
        rule_code: row.text("rule_code")?,
        rule_version: u32::try_from(version)
            .map_err(|_| StoreError::corrupt("rule_version", version))?,
        credits: Credits::from_units(row.int("credits")?)
            .map_err(|e| StoreError::corrupt("credits", e))?,
        application_id: ApplicationId::from_db(row.text("application_id")?),
        entry_id: EntryId::from_db(row.text("entry_id")?),
        created_at: row.time("created_at")?,
    })
}

async fn load_application(
    conn: &mut AnyConnection,
    id: &ApplicationId,
) -> StoreResult<ConversionApplication> {
    let row = sqlx::query(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM conversion_applications WHERE id = $1"
    ))
    .bind(id.as_str())
    .fetch_one(&mut *conn)
    .await
    .map_err(backend)?;
    application_from_row(&row)
}

fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(e.to_string()))
}

#[async_trait]
impl ConversionStore for SqlStore {
    async fn create_conversion_application(
        &self,
        new: NewConversionApplication,
        audit: NewAudit,
    ) -> StoreResult<ConversionApplication> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO conversion_applications (id, account_id, programme_code, institution_id, \
             status, applied_on, due_on, requested, explanation, submitted_at, version) \
             VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, 1)",
        )
        .bind(new.id.as_str())
        .bind(new.account_id.as_str())
        .bind(new.programme_code.as_str())
        .bind(new.institution_id.as_str())
        .bind(date(new.applied_on))
        .bind(date(new.due_on))
        .bind(to_json(&new.requested)?)
        .bind(new.explanation.as_str())
        .bind(ts(OffsetDateTime::now_utc()))
        .execute(&mut *tx)
        .await
        .map_err(conflict_on_unique("application_open"))?;
        insert_audit(&mut tx, &audit).await?;
        let stored = load_application(&mut tx, &new.id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(stored)
    }

    async fn conversion_application(
        &self,
        id: &ApplicationId,
    ) -> StoreResult<ConversionApplication> {
        let mut conn = self.read.acquire().await.map_err(backend)?;
        load_application(&mut conn, id).await
    }

    async fn conversion_applications_of(
        &self,
        account: &AccountId,
        programme: Option<&str>,
    ) -> StoreResult<Vec<ConversionApplication>> {
        let rows = sqlx::query(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM conversion_applications \
             WHERE account_id = $1 AND ($2 IS NULL OR programme_code = $2) \
             ORDER BY submitted_at DESC, id DESC"
        ))
        .bind(account.as_str())
        .bind(programme.map(str::to_owned))
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(application_from_row).collect()
    }

    async fn conversion_queue(
        &self,
        institution: &InstitutionId,
        status: Option<ApplicationStatus>,
        cursor: &Cursor,
    ) -> StoreResult<Page<ConversionApplication>> {
        let (after_due, after_id) = match cursor.after.as_deref().and_then(|a| a.split_once('|')) {
            Some((due, id)) => (Some(due.to_owned()), Some(id.to_owned())),
            None => (None, None),
        };
        let limit = i64::from(cursor.limit);
        let rows = sqlx::query(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM conversion_applications \
             WHERE institution_id = $1 AND ($2 IS NULL OR status = $2) \
             AND ($3 IS NULL OR due_on > $3 OR (due_on = $3 AND id > $4)) \
             ORDER BY due_on, id LIMIT $5"
        ))
        .bind(institution.as_str())
        .bind(status.map(|s| s.as_str().to_owned()))
        .bind(after_due)
        .bind(after_id.unwrap_or_default())
        .bind(limit + 1)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        let mut items = rows
            .iter()
            .map(application_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        let next = if items.len() > cursor.limit as usize {
            items.truncate(cursor.limit as usize);
            items.last().map(|a| format!("{}|{}", date(a.due_on), a.id))
        } else {
            None
        };
        Ok(Page { items, next })
    }

    async fn decide_conversion(
        &self,
        id: &ApplicationId,
        version: i64,
        verdict: ConversionVerdict,
        audit: NewAudit,
    ) -> StoreResult<ConversionApplication> {
        retry_when_chains_move!({
            let mut tx = self.write.begin().await.map_err(backend)?;
            let now = ts(OffsetDateTime::now_utc());
            let done = sqlx::query(
                "UPDATE conversion_applications SET status = 'decided', decision = $3, \
                 decided_at = $4, decided_by = $5, version = version + 1 \
                 WHERE id = $1 AND version = $2 AND status = 'pending'",
            )
            .bind(id.as_str())
            .bind(version)
            .bind(verdict.decision.as_str())
            .bind(now.clone())
            .bind(verdict.decided_by.as_ref().map(|u| u.as_str().to_owned()))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            if done.rows_affected() != 1 {
                load_application(&mut tx, id).await?;
                return Err(StoreError::Conflict("already_decided"));
            }
            let stored = load_application(&mut tx, id).await?;
            for e in &verdict.exemptions {
                sqlx::query(&format!(
                    "INSERT INTO exemptions ({EXEMPTION_COLUMNS}) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                ))
                .bind(e.id.as_str())
                .bind(stored.account_id.as_str())
                .bind(stored.programme_code.as_str())
                .bind(e.course_code.as_str())
                .bind(e.outcome_id.as_str())
                .bind(e.outcome_kind.as_str())
                .bind(e.rule_code.as_str())
                .bind(i64::from(e.rule_version))
                .bind(e.credits.units())
                .bind(id.as_str())
                .bind(e.entry.id.as_str())
                .bind(now.clone())
                .execute(&mut *tx)
                .await
                .map_err(conflict_on_unique("outcome_already_used"))?;
            }
            let entries: Vec<(&AccountId, &NewEntry)> = verdict
                .exemptions
                .iter()
                .map(|e| (&stored.account_id, &e.entry))
                .collect();
            append_entries_in(&mut tx, &entries).await?;
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await.map_err(backend)?;
            Ok(stored)
        })
    }

    async fn exemptions_of(
        &self,
        account: &AccountId,
        programme: Option<&str>,
    ) -> StoreResult<Vec<StoredExemption>> {
        let rows = sqlx::query(&format!(
            "SELECT {EXEMPTION_COLUMNS} FROM exemptions \
             WHERE account_id = $1 AND ($2 IS NULL OR programme_code = $2) \
             ORDER BY created_at, id"
        ))
        .bind(account.as_str())
        .bind(programme.map(str::to_owned))
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(exemption_from_row).collect()
    }

    async fn exemptions_in_programme(&self, programme: &str) -> StoreResult<Vec<StoredExemption>> {
        let rows = sqlx::query(&format!(
            "SELECT {EXEMPTION_COLUMNS} FROM exemptions WHERE programme_code = $1 \
             ORDER BY account_id, created_at, id"
        ))
        .bind(programme)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(exemption_from_row).collect()
    }
}
