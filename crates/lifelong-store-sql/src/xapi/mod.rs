//! The learning record store over SQL: credentials, statements (written by the group-commit
//! [`writer`], read by id or as one index range of filter keys), documents with compare-and-set,
//! activities, attachments and the console's refusals.

mod writer;

pub(crate) use writer::Request as WriterRequest;

use async_trait::async_trait;
use lifelong_store::{
    AccountId, Document, DocumentScope, EntryId, InstitutionId, JobOutcome, NewAudit,
    NewXapiCredential, StatementFilter, StatementJob, StatementPage, StoreError, StoreResult,
    StoredStatement, XapiCredential, XapiRefusal, XapiStore,
};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::audit::insert_audit;
use crate::codec::{backend, conflict_on_unique, ts, RowExt};
use crate::{Backend, SqlStore};

/// Refusals kept per tenant for the console.
const REFUSALS_KEPT: i64 = 200;

const CREDENTIAL_COLUMNS: &str = "c.id, t.institution_id, c.tenant, c.label, c.key, \
     c.secret_sha256, c.created_at, c.revoked_at, c.last_used_at, c.statements";

fn credential_from_row(row: &AnyRow) -> StoreResult<XapiCredential> {
    Ok(XapiCredential {
        id: uuid_of(&row.text("id")?)?,
        institution_id: InstitutionId::from_db(row.text("institution_id")?),
        tenant: row.int("tenant")?,
        label: row.text("label")?,
        key: row.text("key")?,
        secret_sha256: row.text("secret_sha256")?,
        created_at: row.time("created_at")?,
        revoked_at: row.opt_time("revoked_at")?,
        last_used_at: row.opt_time("last_used_at")?,
        statements: row.int("statements")?,
    })
}

fn uuid_of(text: &str) -> StoreResult<Uuid> {
    Uuid::parse_str(text).map_err(|e| StoreError::corrupt("uuid", e))
}

fn statement_from_row(row: &AnyRow) -> StoreResult<StoredStatement> {
    let stored = row.int("stored")?;
    Ok(StoredStatement {
        seq: row.int("seq")?,
        body: row.text("body")?,
        voided: row.flag("voided")?,
        stored: OffsetDateTime::from_unix_timestamp_nanos(i128::from(stored) * 1_000)
            .map_err(|e| StoreError::corrupt("stored", e))?,
    })
}

/// Binds a document scope's five key parts as `$1`…`$5`.
fn scoped<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    scope: &'q DocumentScope,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(scope.tenant)
        .bind(scope.kind.as_str())
        .bind(scope.activity.as_str())
        .bind(scope.agent.as_str())
        .bind(scope.registration.as_str())
}

/// The tenant key of an institution, made on first use.
async fn tenant_for(conn: &mut AnyConnection, institution: &InstitutionId) -> StoreResult<i64> {
    sqlx::query("INSERT INTO xapi_tenants (institution_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(institution.as_str())
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    let row = sqlx::query("SELECT tenant FROM xapi_tenants WHERE institution_id = $1")
        .bind(institution.as_str())
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)?;
    row.int("tenant")
}

impl SqlStore {
    async fn xapi_writer(&self) -> mpsc::Sender<writer::Request> {
        self.xapi
            .get_or_init(|| async {
                writer::spawn(self.write.clone(), self.backend == Backend::Postgres)
            })
            .await
            .clone()
    }

    /// The sequence bound for a `stored` time: the last statement stored at or before it.
    async fn seq_at(&self, micros: i64) -> StoreResult<i64> {
        let row = sqlx::query(
            "SELECT seq FROM xapi_statements WHERE stored <= $1 ORDER BY stored DESC, seq DESC LIMIT 1",
        )
        .bind(micros)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.map(|r| r.int("seq"))
            .transpose()
            .map(|s| s.unwrap_or(0))
    }
}

#[async_trait]
impl XapiStore for SqlStore {
    async fn create_xapi_credential(
        &self,
        credential: NewXapiCredential,
        audit: NewAudit,
    ) -> StoreResult<XapiCredential> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let tenant = tenant_for(&mut tx, &credential.institution_id).await?;
        sqlx::query(
            "INSERT INTO xapi_credentials (id, tenant, label, key, secret_sha256, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(credential.id.to_string())
        .bind(tenant)
        .bind(credential.label.as_str())
        .bind(credential.key.as_str())
        .bind(credential.secret_sha256.as_str())
        .bind(ts(OffsetDateTime::now_utc()))
        .bind(credential.created_by.as_ref().map(|u| u.as_str().to_owned()))
        .execute(&mut *tx)
        .await
        .map_err(conflict_on_unique("credential_key_taken"))?;
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)?;
        self.xapi_credential_by_key(&credential.key)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn xapi_credential_by_key(&self, key: &str) -> StoreResult<Option<XapiCredential>> {
        let sql = format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM xapi_credentials c \
             JOIN xapi_tenants t ON t.tenant = c.tenant WHERE c.key = $1"
        );
        let row = sqlx::query(&sql)
            .bind(key)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
        row.as_ref().map(credential_from_row).transpose()
    }

    async fn xapi_credentials(
        &self,
        institution: &InstitutionId,
    ) -> StoreResult<Vec<XapiCredential>> {
        let sql = format!(
            "SELECT {CREDENTIAL_COLUMNS} FROM xapi_credentials c \
             JOIN xapi_tenants t ON t.tenant = c.tenant WHERE t.institution_id = $1 \
             ORDER BY c.created_at DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(institution.as_str())
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        rows.iter().map(credential_from_row).collect()
    }

    async fn revoke_xapi_credential(
        &self,
        institution: &InstitutionId,
        id: Uuid,
        audit: NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let row = sqlx::query(
            "SELECT c.revoked_at FROM xapi_credentials c JOIN xapi_tenants t ON t.tenant = c.tenant \
             WHERE c.id = $1 AND t.institution_id = $2",
        )
        .bind(id.to_string())
        .bind(institution.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
        if row.opt_text("revoked_at")?.is_some() {
            return Err(StoreError::Conflict("already_revoked"));
        }
        sqlx::query("UPDATE xapi_credentials SET revoked_at = $1 WHERE id = $2")
            .bind(ts(OffsetDateTime::now_utc()))
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }

    async fn store_statements(&self, job: StatementJob) -> StoreResult<JobOutcome> {
        let (reply, answer) = oneshot::channel();
        self.xapi_writer()
            .await
            .send(writer::Request { job, reply })
            .await
            .map_err(|_| StoreError::Backend("the statement writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Backend("the statement writer has stopped".into()))?
    }

    async fn statement(&self, tenant: i64, id: Uuid) -> StoreResult<Option<StoredStatement>> {
        let row = sqlx::query(
            "SELECT seq, body, voided, stored FROM xapi_statements WHERE tenant = $1 AND id = $2",
        )
        .bind(tenant)
        .bind(id.to_string())
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.as_ref().map(statement_from_row).transpose()
    }

    async fn statements(&self, filter: &StatementFilter) -> StoreResult<StatementPage> {
        let upto = match filter.upto_seq {
            Some(upto) => upto,
            None => {
                let newest =
                    sqlx::query("SELECT COALESCE(MAX(seq), 0) AS seq FROM xapi_statements")
                        .fetch_one(&self.read)
                        .await
                        .map_err(backend)?
                        .int("seq")?;
                match filter.until {
                    Some(until) => newest.min(self.seq_at(until).await?),
                    None => newest,
                }
            }
        };
        let mut low = match filter.since {
            Some(since) => self.seq_at(since).await?,
            None => 0,
        };
        let mut high = upto;
        if let Some(after) = filter.after_seq {
            if filter.ascending {
                low = low.max(after);
            } else {
                high = high.min(after - 1);
            }
        }
        let limit = i64::from(filter.limit.max(1));
        let order = if filter.ascending { "ASC" } else { "DESC" };
        let (sql, driving) = match filter.keys.split_first() {
            None => (
                format!(
                    "SELECT seq, body FROM xapi_statements WHERE tenant = $1 AND voided = 0 \
                     AND seq > $2 AND seq <= $3 ORDER BY seq {order} LIMIT $4"
                ),
                None,
            ),
            Some((first, rest)) => {
                let mut sql = String::from(
                    "SELECT s.seq, s.body FROM xapi_filter_keys f \
                     JOIN xapi_statements s ON s.seq = f.seq \
                     WHERE f.tenant = $1 AND f.key = $5 AND f.seq > $2 AND f.seq <= $3 \
                     AND s.voided = 0",
                );
                for i in 0..rest.len() {
                    sql.push_str(&format!(
                        " AND EXISTS (SELECT 1 FROM xapi_filter_keys g WHERE g.tenant = f.tenant \
                         AND g.key = ${} AND g.seq = f.seq)",
                        6 + i
                    ));
                }
                sql.push_str(&format!(" ORDER BY f.seq {order} LIMIT $4"));
                (sql, Some((*first, rest)))
            }
        };
        let mut q = sqlx::query(&sql)
            .bind(filter.tenant)
            .bind(low)
            .bind(high)
            .bind(limit + 1);
        if let Some((first, rest)) = driving {
            q = q.bind(first);
            for k in rest {
                q = q.bind(*k);
            }
        }
        let rows = q.fetch_all(&self.read).await.map_err(backend)?;
        let mut page = StatementPage {
            upto_seq: upto,
            ..StatementPage::default()
        };
        let mut last = None;
        for row in rows.iter().take(limit as usize) {
            if page.count > 0 {
                page.joined.push(',');
            }
            page.joined.push_str(&row.text("body")?);
            page.count += 1;
            last = Some(row.int("seq")?);
        }
        if rows.len() as i64 > limit {
            page.more_after = last;
        }
        Ok(page)
    }

    async fn recent_statements(
        &self,
        tenant: i64,
        limit: u32,
    ) -> StoreResult<Vec<StoredStatement>> {
        let rows = sqlx::query(
            "SELECT seq, body, voided, stored FROM xapi_statements WHERE tenant = $1 \
             ORDER BY seq DESC LIMIT $2",
        )
        .bind(tenant)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(statement_from_row).collect()
    }

    async fn attachments(&self, sha2: &[String]) -> StoreResult<Vec<(String, String, Vec<u8>)>> {
        let mut out = Vec::with_capacity(sha2.len());
        for sha in sha2 {
            let row = sqlx::query(
                "SELECT sha2, content_type, content FROM xapi_attachments WHERE sha2 = $1",
            )
            .bind(sha.as_str())
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
            if let Some(row) = row {
                out.push((
                    row.text("sha2")?,
                    row.text("content_type")?,
                    row.bytes("content")?,
                ));
            }
        }
        Ok(out)
    }

    async fn activity_definition(&self, tenant: i64, iri: &str) -> StoreResult<Option<String>> {
        let row =
            sqlx::query("SELECT definition FROM xapi_activities WHERE tenant = $1 AND iri = $2")
                .bind(tenant)
                .bind(iri)
                .fetch_optional(&self.read)
                .await
                .map_err(backend)?;
        row.map(|r| r.text("definition")).transpose()
    }

    async fn document(&self, scope: &DocumentScope, id: &str) -> StoreResult<Option<Document>> {
        let row = scoped(sqlx::query(
            "SELECT content_type, content, etag, updated FROM xapi_documents WHERE tenant = $1 \
             AND kind = $2 AND activity = $3 AND agent = $4 AND registration = $5 AND doc_id = $6",
        ), scope)
        .bind(id)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.map(|r| {
            Ok(Document {
                content_type: r.text("content_type")?,
                content: r.bytes("content")?,
                etag: r.text("etag")?,
                updated: r.time("updated")?,
            })
        })
        .transpose()
    }

    async fn document_ids(
        &self,
        scope: &DocumentScope,
        since: Option<OffsetDateTime>,
    ) -> StoreResult<Vec<String>> {
        let rows = scoped(sqlx::query(
            "SELECT doc_id FROM xapi_documents WHERE tenant = $1 AND kind = $2 AND activity = $3 \
             AND agent = $4 AND registration = $5 AND updated > $6 ORDER BY doc_id",
        ), scope)
        .bind(since.map(ts).unwrap_or_default())
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(|r| r.text("doc_id")).collect()
    }

    async fn put_document_if(
        &self,
        scope: &DocumentScope,
        id: &str,
        expected: Option<&str>,
        new: Option<Document>,
    ) -> StoreResult<bool> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let current = scoped(sqlx::query(
            "SELECT etag FROM xapi_documents WHERE tenant = $1 AND kind = $2 AND activity = $3 \
             AND agent = $4 AND registration = $5 AND doc_id = $6",
        ), scope)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?
        .map(|r| r.text("etag"))
        .transpose()?;
        if current.as_deref() != expected {
            return Ok(false);
        }
        if current.is_some() {
            scoped(
                sqlx::query(
                    "DELETE FROM xapi_documents WHERE tenant = $1 AND kind = $2 AND activity = $3 \
                 AND agent = $4 AND registration = $5 AND doc_id = $6",
                ),
                scope,
            )
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        if let Some(doc) = new {
            scoped(sqlx::query(
                "INSERT INTO xapi_documents (tenant, kind, activity, agent, registration, doc_id, \
                 content_type, content, etag, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            ), scope)
            .bind(id)
            .bind(doc.content_type)
            .bind(doc.content)
            .bind(doc.etag)
            .bind(ts(doc.updated))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        }
        tx.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn delete_documents(&self, scope: &DocumentScope) -> StoreResult<u64> {
        let done = scoped(
            sqlx::query(
                "DELETE FROM xapi_documents WHERE tenant = $1 AND kind = $2 AND activity = $3 \
             AND agent = $4 AND registration = $5",
            ),
            scope,
        )
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn record_xapi_refusal(&self, tenant: i64, refusal: XapiRefusal) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        sqlx::query(
            "INSERT INTO xapi_refusals (tenant, at, credential, method, resource, status, code, message, \
             message_zh) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(tenant)
        .bind(ts(refusal.at))
        .bind(refusal.credential.to_string())
        .bind(refusal.method)
        .bind(refusal.resource)
        .bind(i64::from(refusal.status))
        .bind(refusal.code)
        .bind(refusal.message)
        .bind(refusal.message_zh)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        sqlx::query(
            "DELETE FROM xapi_refusals WHERE tenant = $1 AND id <= \
             (SELECT MAX(id) FROM xapi_refusals WHERE tenant = $1) - $2",
        )
        .bind(tenant)
        .bind(REFUSALS_KEPT)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(())
    }

    async fn xapi_refusals(&self, tenant: i64, limit: u32) -> StoreResult<Vec<XapiRefusal>> {
        let rows = sqlx::query(
            "SELECT at, credential, method, resource, status, code, message, message_zh FROM xapi_refusals \
             WHERE tenant = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(tenant)
        .bind(i64::from(limit))
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(XapiRefusal {
                    at: r.time("at")?,
                    credential: uuid_of(&r.text("credential")?)?,
                    method: r.text("method")?,
                    resource: r.text("resource")?,
                    status: u16::try_from(r.int("status")?).unwrap_or(0),
                    code: r.text("code")?,
                    message: r.text("message")?,
                    message_zh: r.text("message_zh")?,
                })
            })
            .collect()
    }

    async fn statement_entry(
        &self,
        tenant: i64,
        id: Uuid,
    ) -> StoreResult<Option<(AccountId, EntryId)>> {
        let row = sqlx::query(
            "SELECT account_id, entry_id FROM xapi_statements WHERE tenant = $1 AND id = $2 \
             AND entry_id IS NOT NULL",
        )
        .bind(tenant)
        .bind(id.to_string())
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.map(|r| {
            Ok((
                AccountId::from_db(r.text("account_id")?),
                EntryId::from_db(r.text("entry_id")?),
            ))
        })
        .transpose()
    }

    async fn xapi_tenant(&self, institution: &InstitutionId) -> StoreResult<Option<i64>> {
        let row = sqlx::query("SELECT tenant FROM xapi_tenants WHERE institution_id = $1")
            .bind(institution.as_str())
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
        row.map(|r| r.int("tenant")).transpose()
    }
}
