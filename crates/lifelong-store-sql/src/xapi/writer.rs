//! The statement writer: one task owns the writing of statements and commits the jobs waiting
//! for it in one transaction (group commit), so concurrent clients share one fsync. Inside the
//! transaction each job is checked (ids already used), ordered (`seq`, `stored`), voided and
//! linked (StatementRef inheritance) on its own: a job that conflicts writes nothing and does not
//! hold back the others.

use std::collections::{HashMap, HashSet};

use lifelong_store::{
    AccountId, JobOutcome, NewAttachment, NewEntry, NewStatement, StatementJob, StoreError,
    StoreResult,
};
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::archive::{append_entries_in, retry_when_chains_move};
use crate::codec::{backend, ts, Batch};

/// Most statements taken into one transaction.
const GROUP_STATEMENTS: usize = 4_000;

/// A job and where to send its answer.
pub(crate) struct Request {
    pub job: StatementJob,
    pub reply: oneshot::Sender<StoreResult<JobOutcome>>,
}

/// Starts the writer on `pool`; it ends when every sender is gone.
pub(crate) fn spawn(pool: sqlx::AnyPool, postgres: bool) -> mpsc::Sender<Request> {
    let (tx, mut rx) = mpsc::channel::<Request>(1_024);
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut group = vec![first];
            let mut size = group[0].job.statements.len();
            while size < GROUP_STATEMENTS {
                match rx.try_recv() {
                    Ok(next) => {
                        size += next.job.statements.len();
                        group.push(next);
                    }
                    Err(_) => break,
                }
            }
            let jobs: Vec<&StatementJob> = group.iter().map(|r| &r.job).collect();
            let answers = retry_when_chains_move!({ write_group(&pool, &jobs, postgres).await });
            match answers {
                Ok(answers) => {
                    for (request, answer) in group.into_iter().zip(answers) {
                        let _ = request.reply.send(Ok(answer));
                    }
                }
                Err(e) => {
                    let text = e.to_string();
                    tracing::error!(error = %text, "xAPI statement group failed");
                    for request in group {
                        let _ = request.reply.send(Err(StoreError::Backend(text.clone())));
                    }
                }
            }
        }
    });
    tx
}

fn now_micros() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000) as i64
}

fn time_of(micros: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Filter keys as stored: 8 bytes each, big-endian.
pub(crate) fn keys_to_bytes(keys: &[i64]) -> Vec<u8> {
    keys.iter().flat_map(|k| k.to_be_bytes()).collect()
}

pub(crate) fn keys_from_bytes(bytes: &[u8]) -> Vec<i64> {
    bytes
        .chunks_exact(8)
        .map(|c| i64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect()
}

fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Where the group's numbering starts: the last `seq` and `stored` committed.
struct Clock {
    seq: i64,
    stored: i64,
}

impl Clock {
    fn next(&mut self) -> (i64, i64) {
        self.seq += 1;
        self.stored = now_micros().max(self.stored + 1);
        (self.seq, self.stored)
    }
}

async fn write_group(
    pool: &sqlx::AnyPool,
    jobs: &[&StatementJob],
    postgres: bool,
) -> StoreResult<Vec<JobOutcome>> {
    let mut tx = pool.begin().await.map_err(backend)?;
    if postgres {
        // One statement writer at a time across processes, so `seq` follows commit order.
        sqlx::query("SELECT pg_advisory_xact_lock(7239001)")
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
    }
    // The newest statement: one step down the primary key (`stored` grows with `seq`).
    let row = sqlx::query("SELECT seq, stored FROM xapi_statements ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
    let mut clock = match row {
        Some(row) => Clock {
            seq: row.try_get::<i64, _>("seq").map_err(backend)?,
            stored: row.try_get::<i64, _>("stored").map_err(backend)?,
        },
        None => Clock { seq: 0, stored: 0 },
    };
    let mut answers: Vec<Option<JobOutcome>> = vec![None; jobs.len()];
    let mut tenants: Vec<i64> = Vec::new();
    for job in jobs {
        if !tenants.contains(&job.tenant) {
            tenants.push(job.tenant);
        }
    }
    for tenant in tenants {
        let mine: Vec<usize> = (0..jobs.len())
            .filter(|i| jobs[*i].tenant == tenant)
            .collect();
        let existing = existing_comparisons(
            &mut tx,
            tenant,
            mine.iter().flat_map(|i| &jobs[*i].statements),
        )
        .await?;
        let mut taken: HashMap<Uuid, [u8; 32]> = HashMap::new();
        let mut pending: Vec<Pending> = Vec::new();
        let mut attachments: Vec<&NewAttachment> = Vec::new();
        for i in mine {
            let job = jobs[i];
            let (answer, accepted) = decide(job, &existing, &mut taken, &mut clock);
            if accepted.is_some() {
                attachments.extend(&job.attachments);
            }
            pending.extend(accepted.unwrap_or_default());
            answers[i] = Some(answer);
        }
        if !pending.is_empty() {
            write_pending(&mut tx, tenant, pending, &attachments).await?;
        }
    }
    tx.commit().await.map_err(backend)?;
    Ok(answers
        .into_iter()
        .map(|a| a.unwrap_or(JobOutcome::Conflict(Uuid::nil())))
        .collect())
}

/// Decides a job against the stored statements and those accepted earlier in this group: the
/// same statement again is left alone, a different one under a used id makes the job a
/// conflict that writes nothing. Numbers the job's new statements.
fn decide<'a>(
    job: &'a StatementJob,
    existing: &HashMap<Uuid, Vec<u8>>,
    taken: &mut HashMap<Uuid, [u8; 32]>,
    clock: &mut Clock,
) -> (JobOutcome, Option<Vec<Pending<'a>>>) {
    let mut new = Vec::with_capacity(job.statements.len());
    let mut seen = HashSet::new();
    for s in &job.statements {
        let known = existing
            .get(&s.id)
            .map(Vec::as_slice)
            .or_else(|| taken.get(&s.id).map(|c| c.as_slice()));
        match known {
            Some(c) if c == s.comparison => new.push(false),
            Some(_) => return (JobOutcome::Conflict(s.id), None),
            None => new.push(seen.insert(s.id)),
        }
    }
    let mut pending = Vec::new();
    for (s, is_new) in job.statements.iter().zip(&new) {
        if *is_new {
            let (seq, stored) = clock.next();
            taken.insert(s.id, s.comparison);
            pending.push(Pending {
                statement: s,
                credential: job.credential,
                seq,
                stored,
                keys: s.keys.clone(),
                voided: false,
            });
        }
    }
    let stored = time_of(pending.first().map_or(clock.stored, |p| p.stored));
    (JobOutcome::Stored { new, stored }, Some(pending))
}

/// A statement of the job about to be inserted.
struct Pending<'a> {
    statement: &'a NewStatement,
    credential: Uuid,
    seq: i64,
    stored: i64,
    keys: Vec<i64>,
    voided: bool,
}

/// Writes a tenant's accepted statements of one group: voiding, reference inheritance,
/// statements, keys, definitions, attachments, credentials' counts and archive entries.
async fn write_pending(
    conn: &mut AnyConnection,
    tenant: i64,
    mut pending: Vec<Pending<'_>>,
    attachments: &[&NewAttachment],
) -> StoreResult<()> {
    // 2. Targets already stored: their keys are inherited; voiding ones are voided.
    let targets: Vec<String> = pending
        .iter()
        .filter_map(|p| p.statement.target)
        .map(|t| t.to_string())
        .collect();
    let stored_targets = statements_by_id(conn, tenant, &targets).await?;
    // 3. Stored statements that refer to the new ones (voiding or inheriting).
    let new_ids: Vec<String> = pending.iter().map(|p| p.statement.id.to_string()).collect();
    let referrers = referrers_of(conn, tenant, &new_ids).await?;

    let index: HashMap<Uuid, usize> = pending
        .iter()
        .enumerate()
        .map(|(i, p)| (p.statement.id, i))
        .collect();
    // Inherit from stored targets, then within the job until nothing changes (any order of
    // references inside one request).
    for p in pending.iter_mut() {
        if let Some(t) = p.statement.target {
            if let Some(target) = stored_targets.get(&t) {
                merge_keys(&mut p.keys, &target.keys);
            }
        }
    }
    loop {
        let mut changed = false;
        for i in 0..pending.len() {
            let Some(t) = pending[i].statement.target else {
                continue;
            };
            let Some(&j) = index.get(&t) else { continue };
            if i == j {
                continue;
            }
            let from = pending[j].keys.clone();
            changed |= merge_keys(&mut pending[i].keys, &from);
        }
        if !changed {
            break;
        }
    }
    // Voiding: a statement is voided by a voiding statement aimed at it, unless it voids too.
    let mut void_stored: Vec<String> = Vec::new();
    for i in 0..pending.len() {
        let Some(t) = pending[i].statement.voids else {
            continue;
        };
        if let Some(&j) = index.get(&t) {
            if pending[j].statement.voids.is_none() {
                pending[j].voided = true;
            }
        } else if let Some(target) = stored_targets.get(&t) {
            if !target.voiding {
                void_stored.push(t.to_string());
            }
        }
    }
    for r in &referrers {
        if r.voiding {
            if let Some(&j) = index.get(&r.target) {
                if pending[j].statement.voids.is_none() {
                    pending[j].voided = true;
                }
            }
        }
    }

    // 4. Write the statements and their filter keys.
    insert_statements(conn, tenant, &pending).await?;
    let mut key_rows: Vec<(i64, i64)> = Vec::new();
    for p in &pending {
        key_rows.extend(p.keys.iter().map(|k| (*k, p.seq)));
    }
    // Stored referrers gain the new statements' keys, and so on up their own referrers.
    let mut wave: Vec<(Referrer, Vec<i64>)> = referrers
        .into_iter()
        .filter_map(|r| {
            let keys = pending[*index.get(&r.target)?].keys.clone();
            Some((r, keys))
        })
        .collect();
    let mut rounds = 0;
    while !wave.is_empty() && rounds < 32 {
        rounds += 1;
        let mut next_ids = Vec::new();
        let mut gained: HashMap<String, Vec<i64>> = HashMap::new();
        for (r, keys) in wave.drain(..) {
            let mut all = r.keys.clone();
            if merge_keys(&mut all, &keys) {
                key_rows.extend(all.iter().map(|k| (*k, r.seq)));
                sqlx::query("UPDATE xapi_statements SET keys = $1 WHERE seq = $2")
                    .bind(keys_to_bytes(&all))
                    .bind(r.seq)
                    .execute(&mut *conn)
                    .await
                    .map_err(backend)?;
                next_ids.push(r.id.clone());
                gained.insert(r.id.clone(), all);
            }
        }
        if next_ids.is_empty() {
            break;
        }
        for up in referrers_of(conn, tenant, &next_ids).await? {
            if let Some(keys) = gained.get(&up.target.to_string()) {
                let keys = keys.clone();
                wave.push((up, keys));
            }
        }
    }
    insert_keys(conn, tenant, &key_rows).await?;
    if !void_stored.is_empty() {
        let sql = format!(
            "UPDATE xapi_statements SET voided = 1 WHERE tenant = $1 AND voids IS NULL AND id IN ({})",
            placeholders(2, void_stored.len())
        );
        let mut q = sqlx::query(&sql).bind(tenant);
        for id in &void_stored {
            q = q.bind(id.as_str());
        }
        q.execute(&mut *conn).await.map_err(backend)?;
    }

    // 5. Activities' definitions (the last one sent wins), attachments, the credential's
    // count, archive entries.
    let mut definitions: HashMap<&str, &str> = HashMap::new();
    for p in &pending {
        for (iri, definition) in &p.statement.definitions {
            definitions.insert(iri.as_str(), definition.as_str());
        }
    }
    upsert_definitions(conn, tenant, &definitions.into_iter().collect::<Vec<_>>()).await?;
    for a in attachments {
        sqlx::query(
            "INSERT INTO xapi_attachments (sha2, content_type, length, content) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sha2) DO NOTHING",
        )
        .bind(a.sha2.as_str())
        .bind(a.content_type.as_str())
        .bind(a.content.len() as i64)
        .bind(a.content.clone())
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    let mut counts: Vec<(Uuid, i64, i64)> = Vec::new();
    for p in &pending {
        match counts.iter_mut().find(|(c, _, _)| *c == p.credential) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 = p.stored;
            }
            None => counts.push((p.credential, 1, p.stored)),
        }
    }
    for (credential, count, last) in counts {
        sqlx::query(
            "UPDATE xapi_credentials SET statements = statements + $1, last_used_at = $2 WHERE id = $3",
        )
        .bind(count)
        .bind(ts(time_of(last)))
        .bind(credential.to_string())
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    let entries: Vec<(&AccountId, &NewEntry)> = pending
        .iter()
        .filter(|p| !p.voided)
        .flat_map(|p| p.statement.entries.iter().map(|(a, e)| (a, e)))
        .collect();
    append_entries_in(conn, &entries).await?;
    Ok(())
}

/// Adds `more` to `keys` (kept sorted, without repeats); whether anything was added.
fn merge_keys(keys: &mut Vec<i64>, more: &[i64]) -> bool {
    let before = keys.len();
    keys.extend_from_slice(more);
    keys.sort_unstable();
    keys.dedup();
    keys.len() != before
}

async fn existing_comparisons<'a>(
    conn: &mut AnyConnection,
    tenant: i64,
    statements: impl Iterator<Item = &'a NewStatement>,
) -> StoreResult<HashMap<Uuid, Vec<u8>>> {
    let statements: Vec<&NewStatement> = statements.collect();
    let mut out = HashMap::new();
    for chunk in statements.chunks(500) {
        let sql = format!(
            "SELECT id, comparison FROM xapi_statements WHERE tenant = $1 AND id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(tenant);
        for s in chunk {
            q = q.bind(s.id.to_string());
        }
        for row in q.fetch_all(&mut *conn).await.map_err(backend)? {
            let id: String = row.try_get("id").map_err(backend)?;
            let comparison: Vec<u8> = row.try_get("comparison").map_err(backend)?;
            if let Ok(id) = Uuid::parse_str(&id) {
                out.insert(id, comparison);
            }
        }
    }
    Ok(out)
}

/// A stored statement as a StatementRef target.
struct Target {
    keys: Vec<i64>,
    voiding: bool,
}

async fn statements_by_id(
    conn: &mut AnyConnection,
    tenant: i64,
    ids: &[String],
) -> StoreResult<HashMap<Uuid, Target>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT id, keys, voids FROM xapi_statements WHERE tenant = $1 AND id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(tenant);
        for id in chunk {
            q = q.bind(id.as_str());
        }
        for row in q.fetch_all(&mut *conn).await.map_err(backend)? {
            let id: String = row.try_get("id").map_err(backend)?;
            let keys: Vec<u8> = row.try_get("keys").map_err(backend)?;
            let voids: Option<String> = row.try_get("voids").map_err(backend)?;
            if let Ok(id) = Uuid::parse_str(&id) {
                out.insert(
                    id,
                    Target {
                        keys: keys_from_bytes(&keys),
                        voiding: voids.is_some(),
                    },
                );
            }
        }
    }
    Ok(out)
}

/// A stored statement whose object is a StatementRef to one of the statements asked about.
struct Referrer {
    seq: i64,
    id: String,
    target: Uuid,
    keys: Vec<i64>,
    voiding: bool,
}

async fn referrers_of(
    conn: &mut AnyConnection,
    tenant: i64,
    ids: &[String],
) -> StoreResult<Vec<Referrer>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT seq, id, target, keys, voids FROM xapi_statements \
             WHERE tenant = $1 AND target IN ({})",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(tenant);
        for id in chunk {
            q = q.bind(id.as_str());
        }
        for row in q.fetch_all(&mut *conn).await.map_err(backend)? {
            let target: String = row.try_get("target").map_err(backend)?;
            let keys: Vec<u8> = row.try_get("keys").map_err(backend)?;
            let voids: Option<String> = row.try_get("voids").map_err(backend)?;
            let Ok(target) = Uuid::parse_str(&target) else {
                continue;
            };
            out.push(Referrer {
                seq: row.try_get("seq").map_err(backend)?,
                id: row.try_get("id").map_err(backend)?,
                target,
                keys: keys_from_bytes(&keys),
                voiding: voids.is_some(),
            });
        }
    }
    Ok(out)
}

const STATEMENT_PARAMS: usize = 13;

async fn insert_statements(
    conn: &mut AnyConnection,
    tenant: i64,
    pending: &[Pending<'_>],
) -> StoreResult<()> {
    let batch = Batch::of(conn);
    for chunk in pending.chunks(batch.rows(STATEMENT_PARAMS)) {
        let sql = format!(
            "INSERT INTO xapi_statements (seq, tenant, id, stored, voids, target, voided, comparison, \
             keys, credential, account_id, entry_id, body) VALUES {}",
            batch.values(chunk.len(), STATEMENT_PARAMS)
        );
        let mut q = sqlx::query(&sql);
        for p in chunk {
            let s = p.statement;
            let entry = s.entries.first().filter(|_| !p.voided);
            q = q
                .bind(p.seq)
                .bind(tenant)
                .bind(s.id.to_string())
                .bind(p.stored)
                .bind(s.voids.map(|v| v.to_string()))
                .bind(s.target.map(|v| v.to_string()))
                .bind(i64::from(p.voided))
                .bind(s.comparison.to_vec())
                .bind(keys_to_bytes(&p.keys))
                .bind(p.credential.to_string())
                .bind(entry.map(|(a, _)| a.as_str().to_owned()))
                .bind(entry.map(|(_, e)| e.id.as_str().to_owned()))
                .bind(stored_body(s, p.stored));
        }
        q.execute(&mut *conn).await.map_err(backend)?;
    }
    Ok(())
}

/// The statement's JSON with `stored` (and `timestamp` when it had none) added.
fn stored_body(s: &NewStatement, stored: i64) -> String {
    let at = ts(time_of(stored));
    let mut body = String::with_capacity(s.head.len() + 80);
    body.push_str(&s.head);
    let empty = s.head.trim_end().ends_with('{');
    if !empty {
        body.push(',');
    }
    body.push_str("\"stored\":\"");
    body.push_str(&at);
    body.push('"');
    if s.needs_timestamp {
        body.push_str(",\"timestamp\":\"");
        body.push_str(&at);
        body.push('"');
    }
    body.push('}');
    body
}

async fn upsert_definitions(
    conn: &mut AnyConnection,
    tenant: i64,
    rows: &[(&str, &str)],
) -> StoreResult<()> {
    let batch = Batch::of(conn);
    for chunk in rows.chunks(batch.rows(3)) {
        let sql = format!(
            "INSERT INTO xapi_activities (tenant, iri, definition) VALUES {} \
             ON CONFLICT (tenant, iri) DO UPDATE SET definition = excluded.definition",
            batch.values(chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for (iri, definition) in chunk {
            q = q.bind(tenant).bind(*iri).bind(*definition);
        }
        q.execute(&mut *conn).await.map_err(backend)?;
    }
    Ok(())
}

/// Writes filter-key rows as one statement with two bound values: the rows travel as one JSON
/// array of `[key, seq]` pairs that the database unpacks (`json_each` on SQLite,
/// `jsonb_array_elements` on PostgreSQL). Binding three values per row through the driver cost
/// more than the insert itself; keys are integers, so the text is plain digits.
async fn insert_keys(
    conn: &mut AnyConnection,
    tenant: i64,
    rows: &[(i64, i64)],
) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut pairs = String::with_capacity(rows.len() * 32);
    pairs.push('[');
    for (i, (key, seq)) in rows.iter().enumerate() {
        if i > 0 {
            pairs.push(',');
        }
        pairs.push('[');
        pairs.push_str(&key.to_string());
        pairs.push(',');
        pairs.push_str(&seq.to_string());
        pairs.push(']');
    }
    pairs.push(']');
    let sql = if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        "INSERT INTO xapi_filter_keys (tenant, key, seq) \
         SELECT $1, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each($2) \
         WHERE true ON CONFLICT DO NOTHING"
    } else {
        "INSERT INTO xapi_filter_keys (tenant, key, seq) \
         SELECT $1, (e ->> 0)::bigint, (e ->> 1)::bigint FROM jsonb_array_elements($2::jsonb) AS e \
         ON CONFLICT DO NOTHING"
    };
    sqlx::query(sql)
        .bind(tenant)
        .bind(pairs)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_as_bytes() {
        let keys = vec![i64::MIN, -1, 0, 42, i64::MAX];
        assert_eq!(keys_from_bytes(&keys_to_bytes(&keys)), keys);
    }

    #[test]
    fn merging_keys_reports_growth() {
        let mut keys = vec![3, 1];
        assert!(merge_keys(&mut keys, &[2, 3]));
        assert_eq!(keys, vec![1, 2, 3]);
        assert!(!merge_keys(&mut keys, &[1]));
    }
}
