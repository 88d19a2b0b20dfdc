//! Outcomes: deposits and applications, the review queue and decisions, evidence, and the
//! recognitions recorded when an outcome counts. An outcome that counts is appended to its
//! learner's archive in the same transaction.

use std::collections::HashSet;

use async_trait::async_trait;
use futures_util::TryStreamExt;
use lifelong_core::credits::Credits;
use lifelong_core::framework::Level;
use lifelong_core::outcome::CreditCategory;
use lifelong_core::review::{OutcomeOrigin, OutcomeStatus};
use lifelong_store::{
    AccountId, Cursor, DepositBatch, DepositCounts, EntryId, Evidence, EvidenceId, InstitutionId,
    NewAudit, NewEntry, NewEvidence, NewOutcome, NewRecognition, OutcomeDecision, OutcomeId,
    OutcomeStore, Page, QueueFilter, RecognitionId, ReviewEvent, StoreError, StoreResult,
    StoredOutcome, StoredRecognition, UploadId, UploadPurpose, UploadStatus, UserId,
};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::archive::{append_entries_in, retry_when_chains_move};
use crate::audit::insert_audit;
use crate::codec::{
    backend, conflict_on_unique, date, list_placeholders, parse_date, ts, Batch, RowExt,
    PARAMS_PER_STATEMENT,
};
use crate::SqlStore;

const OUTCOME_COLUMNS: &str = "id, account_id, institution_id, external_id, origin, status, body, \
     submitted_at, due_on, decided_at, decided_by, decision_note, entry_id, version";

fn outcome_from_row(row: &AnyRow) -> StoreResult<StoredOutcome> {
    Ok(StoredOutcome {
        id: OutcomeId::from_db(row.text("id")?),
        account_id: AccountId::from_db(row.text("account_id")?),
        institution_id: row.opt_text("institution_id")?.map(InstitutionId::from_db),
        external_id: row.opt_text("external_id")?,
        origin: row.parsed("origin", OutcomeOrigin::parse)?,
        status: row.parsed("status", OutcomeStatus::parse)?,
        outcome: serde_json::from_str(&row.text("body")?)
            .map_err(|e| StoreError::corrupt("body", e))?,
        submitted_at: row.time("submitted_at")?,
        due_on: row
            .opt_text("due_on")?
            .as_deref()
            .map(parse_date)
            .transpose()?,
        decided_at: row.opt_time("decided_at")?,
        decided_by: row.opt_text("decided_by")?.map(UserId::from_db),
        decision_note: row.opt_text("decision_note")?,
        entry_id: row.opt_text("entry_id")?.map(EntryId::from_db),
        version: row.int("version")?,
    })
}

fn recognition_from_row(row: &AnyRow) -> StoreResult<StoredRecognition> {
    let level = row.int("level")?;
    Ok(StoredRecognition {
        id: RecognitionId::from_db(row.text("id")?),
        account_id: AccountId::from_db(row.text("account_id")?),
        outcome_id: OutcomeId::from_db(row.text("outcome_id")?),
        certificate_no: row.text("certificate_no")?,
        standard_code: row.text("standard_code")?,
        standard_version: row.int("standard_version")? as u32,
        unit_code: row.text("unit_code")?,
        unit_version: row.int("unit_version")? as u32,
        credits: Credits::from_units(row.int("credits")?)
            .map_err(|e| StoreError::corrupt("credits", e))?,
        category: row.parsed("category", CreditCategory::parse)?,
        level: u8::try_from(level)
            .ok()
            .and_then(Level::new)
            .ok_or_else(|| StoreError::corrupt("level", level))?,
        recognised_on: parse_date(&row.text("recognised_on")?)?,
        explanation: row.text("explanation")?,
        entry_id: EntryId::from_db(row.text("entry_id")?),
        revoked: row.opt_text("revoked_at")?.is_some(),
    })
}

async fn load_outcome(conn: &mut AnyConnection, id: &OutcomeId) -> StoreResult<StoredOutcome> {
    let row = sqlx::query(&format!(
        "SELECT {OUTCOME_COLUMNS} FROM outcomes WHERE id = $1"
    ))
    .bind(id.as_str())
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?
    .ok_or(StoreError::NotFound)?;
    outcome_from_row(&row)
}

const OUTCOME_PARAMS: usize = 17;

/// Inserts outcomes; one whose (institution, external id) is already stored is skipped. Returns
/// the ids inserted: the check and the insert are one statement, so a concurrent deposit of the
/// same record cannot slip between them.
async fn insert_outcomes(
    conn: &mut AnyConnection,
    outcomes: &[&NewOutcome],
) -> StoreResult<HashSet<String>> {
    let mut inserted = HashSet::with_capacity(outcomes.len());
    let now = ts(OffsetDateTime::now_utc());
    let batch = Batch::of(conn);
    for chunk in outcomes.chunks(batch.rows(OUTCOME_PARAMS)) {
        let sql = format!(
            "INSERT INTO outcomes (id, account_id, institution_id, external_id, origin, status, kind, \
             category, title, completed_on, credits, hours, body, submitted_at, due_on, decided_at, \
             entry_id) VALUES {} ON CONFLICT (institution_id, external_id) DO NOTHING RETURNING id",
            batch.values(chunk.len(), OUTCOME_PARAMS)
        );
        let mut q = sqlx::query(&sql);
        for o in chunk {
            let body = serde_json::to_string(&o.outcome)
                .map_err(|e| StoreError::Backend(e.to_string()))?;
            let counts = o.status == OutcomeStatus::Accepted;
            q = q
                .bind(o.id.as_str())
                .bind(o.account_id.as_str())
                .bind(o.institution_id.as_ref().map(|i| i.as_str().to_owned()))
                .bind(o.external_id.clone())
                .bind(o.origin.as_str())
                .bind(o.status.as_str())
                .bind(o.outcome.kind.as_str())
                .bind(o.outcome.category.as_str())
                .bind(o.outcome.title.clone())
                .bind(date(o.outcome.completed_on))
                .bind(o.outcome.credits.map(Credits::units))
                .bind(o.outcome.hours.map(|h| h.units()))
                .bind(body)
                .bind(now.clone())
                .bind(o.due_on.map(date))
                // An outcome that counts at once is decided when it is submitted.
                .bind(counts.then(|| now.clone()))
                .bind(o.entry.as_ref().map(|e| e.id.as_str().to_owned()));
        }
        let rows = q
            .fetch_all(&mut *conn)
            .await
            .map_err(conflict_on_unique("outcome_exists"))?;
        for row in rows {
            inserted.insert(row.text("id")?);
        }
    }
    Ok(inserted)
}

const RECOGNITION_PARAMS: usize = 15;

async fn insert_recognitions(
    conn: &mut AnyConnection,
    items: &[(&AccountId, &OutcomeId, &NewRecognition)],
) -> StoreResult<()> {
    let batch = Batch::of(conn);
    for chunk in items.chunks(batch.rows(RECOGNITION_PARAMS)) {
        let sql = format!(
            "INSERT INTO recognitions (id, account_id, outcome_id, certificate_no, standard_code, \
             standard_version, unit_code, unit_version, credits, category, level, recognised_on, \
             explanation, entry_id, revoked_at) VALUES {}",
            batch.values(chunk.len(), RECOGNITION_PARAMS)
        );
        let mut q = sqlx::query(&sql);
        for (account, outcome, r) in chunk {
            q = q
                .bind(r.id.as_str())
                .bind(account.as_str())
                .bind(outcome.as_str())
                .bind(r.certificate_no.as_str())
                .bind(r.standard_code.as_str())
                .bind(i64::from(r.standard_version))
                .bind(r.unit_code.as_str())
                .bind(i64::from(r.unit_version))
                .bind(r.credits.units())
                .bind(r.category.as_str())
                .bind(i64::from(r.level.get()))
                .bind(date(r.recognised_on))
                .bind(r.explanation.as_str())
                .bind(r.entry.id.as_str())
                .bind(None::<String>);
        }
        q.execute(&mut *conn)
            .await
            .map_err(conflict_on_unique("recognition_exists"))?;
    }
    Ok(())
}

async fn insert_evidence(
    conn: &mut AnyConnection,
    outcome: &OutcomeId,
    evidence: &[NewEvidence],
) -> StoreResult<()> {
    let now = ts(OffsetDateTime::now_utc());
    for e in evidence {
        sqlx::query(
            "INSERT INTO evidence (id, outcome_id, file_name, content_type, size, sha256, sealed, \
             uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(e.id.as_str())
        .bind(outcome.as_str())
        .bind(e.file_name.as_str())
        .bind(e.content_type.as_str())
        .bind(e.size as i64)
        .bind(e.sha256.as_str())
        .bind(e.sealed.clone())
        .bind(now.as_str())
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    Ok(())
}

async fn insert_event(
    conn: &mut AnyConnection,
    outcome: &OutcomeId,
    actor: Option<&UserId>,
    action: &str,
    note: &str,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO review_events (id, outcome_id, at, actor, action, note) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(outcome.as_str())
        .bind(ts(OffsetDateTime::now_utc()))
        .bind(actor.map(|a| a.as_str().to_owned()))
        .bind(action)
        .bind(note)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    Ok(())
}

/// The external ids among `ids` an institution has already deposited.
/// From how many ids on [`existing_external_ids`] reads a range instead of IN lists.
const RANGE_SCAN_FROM: usize = 2_000;

async fn existing_external_ids(
    conn: &mut AnyConnection,
    institution: &str,
    ids: &[&str],
) -> StoreResult<HashSet<String>> {
    let mut found = HashSet::new();
    // Many ids (a big file): one range scan of the (institution, external id) index between
    // the smallest and largest id, filtered here, costs far less than hundreds of IN lists
    // (which PostgreSQL plans one by one).
    if ids.len() > RANGE_SCAN_FROM {
        let (Some(low), Some(high)) = (ids.iter().min(), ids.iter().max()) else {
            return Ok(found);
        };
        let wanted: HashSet<&str> = ids.iter().copied().collect();
        let mut rows = sqlx::query_as::<_, (String,)>(
            "SELECT external_id FROM outcomes WHERE institution_id = $1 \
             AND external_id >= $2 AND external_id <= $3",
        )
        .bind(institution)
        .bind(*low)
        .bind(*high)
        .fetch(&mut *conn);
        while let Some((e,)) = rows.try_next().await.map_err(backend)? {
            if wanted.contains(e.as_str()) {
                found.insert(e);
            }
        }
        return Ok(found);
    }
    for chunk in ids.chunks(PARAMS_PER_STATEMENT - 1) {
        let sql = format!(
            "SELECT external_id FROM outcomes WHERE external_id IN ({}) AND institution_id = ${}",
            list_placeholders(chunk.len()),
            chunk.len() + 1
        );
        let mut q = sqlx::query_as::<_, (String,)>(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        q = q.bind(institution);
        found.extend(
            q.fetch_all(&mut *conn)
                .await
                .map_err(backend)?
                .into_iter()
                .map(|(e,)| e),
        );
    }
    Ok(found)
}

/// A deposit of outcomes under way inside one transaction, fed one batch at a time.
struct Deposit {
    /// (institution, external id) pairs stored before or earlier in this deposit.
    taken: HashSet<(String, String)>,
    counts: DepositCounts,
}

impl Deposit {
    /// Starts a deposit; with `upload`, checks that the upload is an unconfirmed outcomes file.
    async fn open(conn: &mut AnyConnection, upload: Option<&UploadId>) -> StoreResult<Deposit> {
        if let Some(upload) = upload {
            let row: Option<(String, String)> =
                sqlx::query_as("SELECT status, purpose FROM uploads WHERE id = $1")
                    .bind(upload.as_str())
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(backend)?;
            let (status, purpose) = row.ok_or(StoreError::NotFound)?;
            if purpose != UploadPurpose::Outcomes.as_str() {
                return Err(StoreError::NotFound);
            }
            if status != UploadStatus::Checked.as_str() {
                return Err(StoreError::Conflict("upload_already_committed"));
            }
        }
        Ok(Deposit {
            taken: HashSet::new(),
            counts: DepositCounts::default(),
        })
    }

    /// Records one batch. Repeats of an (institution, external id), stored before, earlier in
    /// this deposit or within the batch, are left alone.
    async fn add(&mut self, conn: &mut AnyConnection, outcomes: &[NewOutcome]) -> StoreResult<()> {
        let mut candidates: Vec<&NewOutcome> = Vec::with_capacity(outcomes.len());
        for o in outcomes {
            if let (Some(i), Some(e)) = (&o.institution_id, &o.external_id) {
                if !self.taken.insert((i.as_str().to_owned(), e.clone())) {
                    self.counts.unchanged += 1;
                    continue;
                }
            }
            candidates.push(o);
        }
        // Those stored before are skipped by the insert itself.
        let inserted = insert_outcomes(conn, &candidates).await?;
        let asked = candidates.len();
        let fresh: Vec<&NewOutcome> = candidates
            .into_iter()
            .filter(|o| inserted.contains(o.id.as_str()))
            .collect();
        self.counts.unchanged += u32::try_from(asked - fresh.len()).unwrap_or(u32::MAX);
        let mut entries: Vec<(&AccountId, &NewEntry)> = Vec::new();
        let mut recognitions = Vec::new();
        for o in &fresh {
            self.counts.created += 1;
            if o.status == OutcomeStatus::Accepted {
                self.counts.accepted += 1;
            }
            if let Some(e) = &o.entry {
                entries.push((&o.account_id, e));
            }
            if let Some(r) = &o.recognition {
                entries.push((&o.account_id, &r.entry));
                recognitions.push((&o.account_id, &o.id, r));
            }
            if !o.evidence.is_empty() {
                insert_evidence(conn, &o.id, &o.evidence).await?;
            }
        }
        append_entries_in(conn, &entries).await?;
        insert_recognitions(conn, &recognitions).await?;
        Ok(())
    }

    /// Marks the upload confirmed and writes the audit record.
    async fn close(
        &self,
        conn: &mut AnyConnection,
        upload: Option<&UploadId>,
        audit: &NewAudit,
    ) -> StoreResult<()> {
        if let Some(upload) = upload {
            sqlx::query(
                "UPDATE uploads SET status = $2, created_count = $3, linked_count = $4, \
                 unchanged_count = $5, committed_at = $6 WHERE id = $1",
            )
            .bind(upload.as_str())
            .bind(UploadStatus::Committed.as_str())
            .bind(i64::from(self.counts.created))
            .bind(i64::from(self.counts.accepted))
            .bind(i64::from(self.counts.unchanged))
            .bind(ts(OffsetDateTime::now_utc()))
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        }
        insert_audit(conn, audit).await
    }
}

#[async_trait]
impl OutcomeStore for SqlStore {
    async fn deposit_outcomes(
        &self,
        outcomes: Vec<NewOutcome>,
        upload: Option<&UploadId>,
        audit: NewAudit,
    ) -> StoreResult<DepositCounts> {
        retry_when_chains_move!({
            let mut tx = self.write.begin().await.map_err(backend)?;
            let mut deposit = Deposit::open(&mut tx, upload).await?;
            deposit.add(&mut tx, &outcomes).await?;
            deposit.close(&mut tx, upload, &audit).await?;
            tx.commit().await.map_err(backend)?;
            Ok(deposit.counts)
        })
    }

    async fn deposit_outcome_batches(
        &self,
        mut batches: tokio::sync::mpsc::Receiver<DepositBatch>,
        upload: Option<&UploadId>,
        audit: NewAudit,
    ) -> StoreResult<DepositCounts> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let mut deposit = Deposit::open(&mut tx, upload).await?;
        loop {
            match batches.recv().await {
                Some(DepositBatch::Rows(outcomes)) => deposit.add(&mut tx, &outcomes).await?,
                Some(DepositBatch::End) => break,
                // Dropping the transaction rolls it back.
                None => return Err(StoreError::Conflict("deposit_abandoned")),
            }
        }
        deposit.close(&mut tx, upload, &audit).await?;
        tx.commit().await.map_err(backend)?;
        Ok(deposit.counts)
    }

    async fn outcome(&self, id: &OutcomeId) -> StoreResult<StoredOutcome> {
        let mut conn = self.read.acquire().await.map_err(backend)?;
        load_outcome(&mut conn, id).await
    }

    async fn deposited_external_ids(
        &self,
        institution: &InstitutionId,
        ids: &[&str],
    ) -> StoreResult<HashSet<String>> {
        let mut conn = self.read.acquire().await.map_err(backend)?;
        existing_external_ids(&mut conn, institution.as_str(), ids).await
    }

    async fn outcome_by_external_id(
        &self,
        institution: &InstitutionId,
        external_id: &str,
    ) -> StoreResult<Option<StoredOutcome>> {
        let row = sqlx::query(&format!(
            "SELECT {OUTCOME_COLUMNS} FROM outcomes WHERE institution_id = $1 AND external_id = $2"
        ))
        .bind(institution.as_str())
        .bind(external_id)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.as_ref().map(outcome_from_row).transpose()
    }

    async fn accepted_deposits_of(
        &self,
        institution: &InstitutionId,
    ) -> StoreResult<Vec<(AccountId, lifelong_core::outcome::Outcome)>> {
        // One row per learner, the bodies joined into a JSON array by the database: a cohort's
        // million outcomes cross the driver as a hundred thousand rows.
        let mut conn = self.read.acquire().await.map_err(backend)?;
        let aggregate = if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            "group_concat(body, ',')"
        } else {
            "string_agg(body, ',')"
        };
        let sql = format!(
            "SELECT account_id, '[' || {aggregate} || ']' FROM outcomes \
             WHERE institution_id = $1 AND status = 'accepted' GROUP BY account_id"
        );
        let mut rows = sqlx::query_as::<_, (String, String)>(&sql)
            .bind(institution.as_str())
            .fetch(&mut *conn);
        let mut out = Vec::new();
        while let Some((account, bodies)) = rows.try_next().await.map_err(backend)? {
            let outcomes: Vec<lifelong_core::outcome::Outcome> =
                serde_json::from_str(&bodies).map_err(|e| StoreError::corrupt("body", e))?;
            let account = AccountId::from_db(account);
            out.extend(outcomes.into_iter().map(|o| (account.clone(), o)));
        }
        Ok(out)
    }

    async fn outcomes_of(&self, account: &AccountId) -> StoreResult<Vec<StoredOutcome>> {
        let rows = sqlx::query(&format!(
            "SELECT {OUTCOME_COLUMNS} FROM outcomes WHERE account_id = $1 ORDER BY completed_on DESC, id DESC"
        ))
        .bind(account.as_str())
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(outcome_from_row).collect()
    }

    async fn review_queue(
        &self,
        filter: &QueueFilter,
        cursor: &Cursor,
    ) -> StoreResult<Page<StoredOutcome>> {
        let statuses: Vec<OutcomeStatus> = if filter.statuses.is_empty() {
            vec![OutcomeStatus::Pending, OutcomeStatus::MoreEvidence]
        } else {
            filter.statuses.clone()
        };
        let mut binds: Vec<String> = statuses.iter().map(|s| s.as_str().to_owned()).collect();
        let mut sql = format!(
            "SELECT {OUTCOME_COLUMNS} FROM outcomes WHERE status IN ({})",
            list_placeholders(binds.len())
        );
        if let Some(d) = filter.due_by {
            binds.push(date(d));
            sql.push_str(&format!(" AND due_on <= ${}", binds.len()));
        }
        if let Some(o) = filter.origin {
            binds.push(o.as_str().to_owned());
            sql.push_str(&format!(" AND origin = ${}", binds.len()));
        }
        // The cursor is "due_on|id" of the last item: due date first, then id.
        if let Some((due, id)) = cursor.after.as_deref().and_then(|a| a.split_once('|')) {
            binds.push(due.to_owned());
            binds.push(id.to_owned());
            let (d, i) = (binds.len() - 1, binds.len());
            sql.push_str(&format!(
                " AND (COALESCE(due_on, '') > ${d} OR (COALESCE(due_on, '') = ${d} AND id > ${i}))"
            ));
        }
        sql.push_str(&format!(
            " ORDER BY COALESCE(due_on, ''), id LIMIT {}",
            cursor.limit + 1
        ));
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b.as_str());
        }
        let rows = q.fetch_all(&self.read).await.map_err(backend)?;
        let items = rows
            .iter()
            .map(outcome_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(items, cursor.limit, |o| {
            format!("{}|{}", o.due_on.map(date).unwrap_or_default(), o.id)
        }))
    }

    async fn decide_outcome(
        &self,
        id: &OutcomeId,
        version: i64,
        decision: OutcomeDecision,
        audit: NewAudit,
    ) -> StoreResult<StoredOutcome> {
        retry_when_chains_move!({
            let mut tx = self.write.begin().await.map_err(backend)?;
            let now = ts(OffsetDateTime::now_utc());
            let finished = decision.to != OutcomeStatus::MoreEvidence;
            let done = sqlx::query(
                "UPDATE outcomes SET status = $3, decided_at = $4, decided_by = $5, decision_note = $6, \
                 entry_id = $7, version = version + 1 \
                 WHERE id = $1 AND version = $2 AND status IN ('pending', 'more_evidence')",
            )
            .bind(id.as_str())
            .bind(version)
            .bind(decision.to.as_str())
            .bind(finished.then(|| now.clone()))
            .bind(decision.decided_by.as_ref().map(|u| u.as_str().to_owned()))
            .bind(decision.note.as_str())
            .bind(decision.entry.as_ref().map(|e| e.id.as_str().to_owned()))
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            if done.rows_affected() != 1 {
                load_outcome(&mut tx, id).await?;
                return Err(StoreError::Conflict("already_decided"));
            }
            let stored = load_outcome(&mut tx, id).await?;
            let mut entries: Vec<(&AccountId, &NewEntry)> = Vec::new();
            if let Some(e) = &decision.entry {
                entries.push((&stored.account_id, e));
            }
            if let Some(r) = &decision.recognition {
                entries.push((&stored.account_id, &r.entry));
            }
            append_entries_in(&mut tx, &entries).await?;
            if let Some(r) = &decision.recognition {
                insert_recognitions(&mut tx, &[(&stored.account_id, &stored.id, r)]).await?;
            }
            insert_event(
                &mut tx,
                id,
                decision.decided_by.as_ref(),
                decision.to.as_str(),
                &decision.note,
            )
            .await?;
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await.map_err(backend)?;
            Ok(stored)
        })
    }

    async fn add_evidence(
        &self,
        id: &OutcomeId,
        evidence: Vec<NewEvidence>,
        audit: NewAudit,
    ) -> StoreResult<StoredOutcome> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let done = sqlx::query(
            "UPDATE outcomes SET status = 'pending', version = version + 1 \
             WHERE id = $1 AND status IN ('pending', 'more_evidence')",
        )
        .bind(id.as_str())
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        if done.rows_affected() != 1 {
            load_outcome(&mut tx, id).await?;
            return Err(StoreError::Conflict("not_open"));
        }
        insert_evidence(&mut tx, id, &evidence).await?;
        let names: Vec<&str> = evidence.iter().map(|e| e.file_name.as_str()).collect();
        insert_event(
            &mut tx,
            id,
            audit.actor.as_ref(),
            "evidence_added",
            &names.join(", "),
        )
        .await?;
        insert_audit(&mut tx, &audit).await?;
        let stored = load_outcome(&mut tx, id).await?;
        tx.commit().await.map_err(backend)?;
        Ok(stored)
    }

    async fn revoke_outcome(
        &self,
        id: &OutcomeId,
        note: &str,
        decided_by: Option<&UserId>,
        entries: Vec<NewEntry>,
        audit: NewAudit,
    ) -> StoreResult<StoredOutcome> {
        retry_when_chains_move!({
            let mut tx = self.write.begin().await.map_err(backend)?;
            let now = ts(OffsetDateTime::now_utc());
            let done = sqlx::query(
                "UPDATE outcomes SET status = 'revoked', decision_note = $2, decided_by = $3, decided_at = $4, \
                 version = version + 1 WHERE id = $1 AND status = 'accepted'",
            )
            .bind(id.as_str())
            .bind(note)
            .bind(decided_by.map(|u| u.as_str().to_owned()))
            .bind(now.as_str())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            if done.rows_affected() != 1 {
                load_outcome(&mut tx, id).await?;
                return Err(StoreError::Conflict("not_accepted"));
            }
            sqlx::query(
                "UPDATE recognitions SET revoked_at = $2 WHERE outcome_id = $1 AND revoked_at IS NULL",
            )
            .bind(id.as_str())
            .bind(now.as_str())
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
            let stored = load_outcome(&mut tx, id).await?;
            let pairs: Vec<(&AccountId, &NewEntry)> =
                entries.iter().map(|e| (&stored.account_id, e)).collect();
            append_entries_in(&mut tx, &pairs).await?;
            insert_event(&mut tx, id, decided_by, "revoked", note).await?;
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await.map_err(backend)?;
            Ok(stored)
        })
    }

    async fn evidence_of(&self, outcome: &OutcomeId) -> StoreResult<Vec<Evidence>> {
        let rows = sqlx::query(
            "SELECT id, outcome_id, file_name, content_type, size, sha256, uploaded_at FROM evidence \
             WHERE outcome_id = $1 ORDER BY uploaded_at, id",
        )
        .bind(outcome.as_str())
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(evidence_from_row).collect()
    }

    async fn evidence(&self, id: &EvidenceId) -> StoreResult<(Evidence, Vec<u8>)> {
        let row = sqlx::query(
            "SELECT id, outcome_id, file_name, content_type, size, sha256, uploaded_at, sealed \
             FROM evidence WHERE id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
        Ok((evidence_from_row(&row)?, row.bytes("sealed")?))
    }

    async fn review_events(&self, outcome: &OutcomeId) -> StoreResult<Vec<ReviewEvent>> {
        let rows = sqlx::query(
            "SELECT at, action, note FROM review_events WHERE outcome_id = $1 ORDER BY at, id",
        )
        .bind(outcome.as_str())
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(ReviewEvent {
                    at: r.time("at")?,
                    action: r.text("action")?,
                    note: r.text("note")?,
                })
            })
            .collect()
    }

    async fn recognitions_of(&self, account: &AccountId) -> StoreResult<Vec<StoredRecognition>> {
        let rows = sqlx::query("SELECT * FROM recognitions WHERE account_id = $1 AND revoked_at IS NULL ORDER BY recognised_on DESC, id DESC")
            .bind(account.as_str())
            .fetch_all(&self.read)
            .await
            .map_err(backend)?;
        rows.iter().map(recognition_from_row).collect()
    }

    async fn recognition(&self, id: &RecognitionId) -> StoreResult<StoredRecognition> {
        let row = sqlx::query("SELECT * FROM recognitions WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        recognition_from_row(&row)
    }

    async fn recognition_by_certificate(
        &self,
        certificate_no: &str,
    ) -> StoreResult<StoredRecognition> {
        let row = sqlx::query("SELECT * FROM recognitions WHERE certificate_no = $1")
            .bind(certificate_no)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        recognition_from_row(&row)
    }
}

fn evidence_from_row(row: &AnyRow) -> StoreResult<Evidence> {
    Ok(Evidence {
        id: EvidenceId::from_db(row.text("id")?),
        outcome_id: OutcomeId::from_db(row.text("outcome_id")?),
        file_name: row.text("file_name")?,
        content_type: row.text("content_type")?,
        size: row.int("size")? as u64,
        sha256: row.text("sha256")?,
        uploaded_at: row.time("uploaded_at")?,
    })
}
