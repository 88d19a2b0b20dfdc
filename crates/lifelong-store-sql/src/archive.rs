//! The lifelong archive: appending to per-learner hash chains inside a caller's transaction,
//! reading pages and whole archives, and verifying every chain (R8).

use std::collections::HashMap;

use async_trait::async_trait;
use futures_util::TryStreamExt;
use lifelong_core::archive::{ChainVerifier, EntryFields, EntryKind, Hash, Head};
use lifelong_core::credits::Credits;
use lifelong_core::outcome::{CreditCategory, OutcomeKind};
use lifelong_store::{
    AccountId, ArchiveEntry, ArchiveFilter, ArchiveStore, CategoryCredits, Cursor, EntryId,
    NewAudit, NewEntry, Page, StoreError, StoreResult, VerifyReport,
};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::audit::insert_audit;
use crate::codec::{
    backend, conflict_on_unique, list_placeholders, ts, Batch, RowExt, PARAMS_PER_STATEMENT,
};
use crate::SqlStore;

const ENTRY_COLUMNS: &str =
    "account_id, seq, id, kind, reverses, recorded_at, year, category, outcome_kind, body, hash";

fn hash_of(bytes: Vec<u8>, col: &'static str) -> StoreResult<Hash> {
    bytes
        .try_into()
        .map_err(|_| StoreError::corrupt(col, "hash is not 32 bytes"))
}

fn entry_from_row(row: &AnyRow) -> StoreResult<ArchiveEntry> {
    Ok(ArchiveEntry {
        id: EntryId::from_db(row.text("id")?),
        account_id: AccountId::from_db(row.text("account_id")?),
        seq: row.int("seq")? as u64,
        kind: row.parsed("kind", EntryKind::parse)?,
        reverses: row.opt_text("reverses")?.map(EntryId::from_db),
        recorded_at: row.time("recorded_at")?,
        year: row.opt_int("year")?.map(|y| y as i32),
        category: row
            .opt_text("category")?
            .as_deref()
            .and_then(CreditCategory::parse),
        outcome_kind: row
            .opt_text("outcome_kind")?
            .as_deref()
            .and_then(OutcomeKind::parse),
        body: row.text("body")?,
        hash: hash_of(row.bytes("hash")?, "hash")?,
    })
}

/// The heads of these learners' chains (learners without entries are absent).
async fn load_heads(
    conn: &mut AnyConnection,
    accounts: &[&str],
) -> StoreResult<HashMap<String, Head>> {
    let mut heads = HashMap::with_capacity(accounts.len());
    for chunk in accounts.chunks(PARAMS_PER_STATEMENT) {
        let sql = format!(
            "SELECT account_id, seq, hash FROM archive_heads WHERE account_id IN ({})",
            list_placeholders(chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for a in chunk {
            q = q.bind(*a);
        }
        for row in q.fetch_all(&mut *conn).await.map_err(backend)? {
            let head = Head {
                seq: row.int("seq")? as u64,
                hash: hash_of(row.bytes("hash")?, "hash")?,
            };
            heads.insert(row.text("account_id")?, head);
        }
    }
    Ok(heads)
}

/// How many times a write that appends to chains is run again when another writer moved one
/// of them first (PostgreSQL, where writers run side by side; SQLite has one writer).
pub(crate) const ARCHIVE_RETRIES: u32 = 10;

/// Runs a transaction that appends to archive chains (an async block returning `StoreResult`)
/// again when it fails with `Conflict("archive_changed")`: the failed attempt rolled back and
/// wrote nothing, and the next reads the chains' new heads. Each round lets at least one of the
/// racing writers through, so ten rounds settle ten writers racing for one chain.
macro_rules! retry_when_chains_move {
    ($body:block) => {{
        let mut tries = 0u32;
        loop {
            let attempt: StoreResult<_> = async $body.await;
            match attempt {
                Err(StoreError::Conflict("archive_changed"))
                    if tries < $crate::archive::ARCHIVE_RETRIES =>
                {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(u64::from(tries))).await;
                }
                other => break other,
            }
        }
    }};
}
pub(crate) use retry_when_chains_move;

/// One prepared entry row.
struct Row<'a> {
    account: &'a str,
    seq: u64,
    entry: &'a NewEntry,
    prev: Hash,
    hash: Hash,
}

const ENTRY_PARAMS: usize = 12;

/// A filter value to bind.
enum Bind {
    Int(i64),
    Text(&'static str),
}

/// Appends entries to their learners' chains, in order, within the caller's transaction.
/// Each learner's head moves only if no one else moved it meanwhile; otherwise the whole
/// transaction fails with `Conflict("archive_changed")`.
pub(crate) async fn append_entries_in(
    conn: &mut AnyConnection,
    entries: &[(&AccountId, &NewEntry)],
) -> StoreResult<Vec<ArchiveEntry>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut accounts: Vec<&str> = entries.iter().map(|(a, _)| a.as_str()).collect();
    accounts.sort_unstable();
    accounts.dedup();
    let before = load_heads(conn, &accounts).await?;
    let mut heads = before.clone();
    let now = OffsetDateTime::now_utc();
    let recorded_at = ts(now);
    let mut rows = Vec::with_capacity(entries.len());
    for (account, entry) in entries {
        let head = heads
            .entry(account.as_str().to_owned())
            .or_insert(Head::EMPTY);
        let seq = head.seq + 1;
        let fields = EntryFields {
            account: account.as_str(),
            seq,
            kind: entry.kind,
            id: entry.id.as_str(),
            reverses: entry.reverses.as_ref().map(|r| r.as_str()),
            recorded_at: &recorded_at,
            body: &entry.body,
        };
        let prev = head.hash;
        let hash = fields.hash(&prev);
        *head = Head { seq, hash };
        rows.push(Row {
            account: account.as_str(),
            seq,
            entry,
            prev,
            hash,
        });
    }
    let batch = Batch::of(conn);
    for chunk in rows.chunks(batch.rows(ENTRY_PARAMS)) {
        let sql = format!(
            "INSERT INTO archive_entries (account_id, seq, id, kind, reverses, recorded_at, year, \
             category, outcome_kind, body, prev_hash, hash) VALUES {}",
            batch.values(chunk.len(), ENTRY_PARAMS)
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(r.account)
                .bind(r.seq as i64)
                .bind(r.entry.id.as_str())
                .bind(r.entry.kind.as_str())
                .bind(r.entry.reverses.as_ref().map(|e| e.as_str().to_owned()))
                .bind(recorded_at.as_str())
                .bind(r.entry.year.map(i64::from))
                .bind(r.entry.category.map(|c| c.as_str()))
                .bind(r.entry.outcome_kind.map(|k| k.as_str()))
                .bind(r.entry.body.as_str())
                .bind(r.prev.to_vec())
                .bind(r.hash.to_vec());
        }
        // A concurrent writer that took the same sequence numbers first makes the primary key
        // refuse these: the chain moved under us.
        q.execute(&mut *conn)
            .await
            .map_err(conflict_on_unique("archive_changed"))?;
    }
    move_heads(conn, &accounts, &before, &heads, batch).await?;
    Ok(rows
        .iter()
        .map(|r| ArchiveEntry {
            id: r.entry.id.clone(),
            account_id: AccountId::from_db(r.account.to_owned()),
            seq: r.seq,
            kind: r.entry.kind,
            reverses: r.entry.reverses.clone(),
            recorded_at: now,
            year: r.entry.year,
            category: r.entry.category,
            outcome_kind: r.entry.outcome_kind,
            body: r.entry.body.clone(),
            hash: r.hash,
        })
        .collect())
}

/// Moves every touched chain's head, in a few multi-row statements. A head moves only from
/// the sequence number read at the start (grouped by how many entries each chain got, so the
/// condition can be written as `excluded.seq - k`); if another writer moved one meanwhile, fewer
/// rows change than expected and the whole transaction fails with `Conflict("archive_changed")`.
async fn move_heads(
    conn: &mut AnyConnection,
    accounts: &[&str],
    before: &HashMap<String, Head>,
    heads: &HashMap<String, Head>,
    batch: Batch,
) -> StoreResult<()> {
    // Chains by the number of entries they grew by; 0 = a new chain (plain INSERT).
    let mut groups: std::collections::BTreeMap<u64, Vec<(&str, &Head)>> =
        std::collections::BTreeMap::new();
    for account in accounts {
        let Some(head) = heads.get(*account) else {
            continue;
        };
        let grew = match before.get(*account) {
            Some(old) => head.seq - old.seq,
            None => 0,
        };
        groups.entry(grew).or_default().push((*account, head));
    }
    for (grew, members) in groups {
        for chunk in members.chunks(batch.rows(3)) {
            let mut sql = format!(
                "INSERT INTO archive_heads (account_id, seq, hash) VALUES {}",
                batch.values(chunk.len(), 3)
            );
            if grew > 0 {
                sql.push_str(&format!(
                    " ON CONFLICT (account_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash \
                     WHERE archive_heads.seq = excluded.seq - {grew}"
                ));
            }
            let mut q = sqlx::query(&sql);
            for (account, head) in chunk {
                q = q
                    .bind(*account)
                    .bind(head.seq as i64)
                    .bind(head.hash.to_vec());
            }
            let done = q
                .execute(&mut *conn)
                .await
                .map_err(conflict_on_unique("archive_changed"))?;
            if done.rows_affected() != chunk.len() as u64 {
                return Err(StoreError::Conflict("archive_changed"));
            }
        }
    }
    Ok(())
}

/// Accounts from `.0` (inclusive) to `.1` (exclusive); `None` is open.
type Range = (Option<String>, Option<String>);

/// The SQL of a query over one range of accounts (bind it with [`bind_range`]).
fn bounded_sql(select: &str, order: &str, range: &Range) -> String {
    let mut sql = select.to_owned();
    let mut n = 0;
    for (value, op) in [(&range.0, ">="), (&range.1, "<")] {
        if value.is_some() {
            n += 1;
            sql.push_str(if n == 1 { " WHERE " } else { " AND " });
            sql.push_str(&format!("account_id {op} ${n}"));
        }
    }
    sql.push_str(order);
    sql
}

/// Binds a range's bounds to a query written by [`bounded_sql`].
fn bind_range<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    range: &'q Range,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for value in [&range.0, &range.1].into_iter().flatten() {
        q = q.bind(value.as_str());
    }
    q
}

/// The fields of an entry the verification query returns, in order: seq, id, kind, reverses
/// (empty for none, as the hash takes it), recorded_at, body and the two hashes in hex.
const LINK_FIELDS: usize = 8;

/// The query that returns each chain of a range as one row: the account and its entries in
/// sequence order, every field written as `<byte length>:<text>`, all concatenated. One row per
/// chain instead of one per entry keeps the driver's per-row cost off the ten million rows of a
/// large archive, and length prefixes need no escaping on either side (JSON would escape every
/// quote of every body, and unescaping would copy every body again).
fn chains_sql(backend: &str, range: &Range) -> String {
    let sqlite = backend.eq_ignore_ascii_case("sqlite");
    let fields: [&str; LINK_FIELDS] = if sqlite {
        [
            "CAST(seq AS TEXT)",
            "id",
            "kind",
            "COALESCE(reverses, '')",
            "recorded_at",
            "body",
            "hex(prev_hash)",
            "hex(hash)",
        ]
    } else {
        [
            "seq::text",
            "id",
            "kind",
            "COALESCE(reverses, '')",
            "recorded_at",
            "body",
            "encode(prev_hash, 'hex')",
            "encode(hash, 'hex')",
        ]
    };
    let link = fields
        .iter()
        .map(|f| format!("octet_length({f}) || ':' || {f}"))
        .collect::<Vec<_>>()
        .join(" || ");
    let aggregate = if sqlite { "group_concat" } else { "string_agg" };
    bounded_sql(
        &format!(
            "SELECT account_id, {aggregate}({link}, '' ORDER BY seq) AS links FROM archive_entries"
        ),
        " GROUP BY account_id ORDER BY account_id",
        range,
    )
}

/// Reads the next `<byte length>:<text>` field of a chain's text.
fn next_field<'a>(text: &mut &'a str) -> StoreResult<&'a str> {
    let bad = || StoreError::corrupt("archive_entries", "unreadable chain text");
    let (len, rest) = text.split_once(':').ok_or_else(bad)?;
    let len: usize = len.parse().map_err(|_| bad())?;
    let field = rest.get(..len).ok_or_else(bad)?;
    *text = &rest[len..];
    Ok(field)
}

fn hex_hash(text: &str, col: &'static str) -> StoreResult<Hash> {
    let mut hash = [0u8; 32];
    hex::decode_to_slice(text, &mut hash)
        .map_err(|_| StoreError::corrupt(col, "hash is not 32 bytes of hex"))?;
    Ok(hash)
}

/// Checks one chain's entries (the text [`chains_sql`] writes) against its head.
fn verify_chain(
    account: &str,
    mut links: &str,
    head: Option<Head>,
    report: &mut VerifyReport,
) -> StoreResult<()> {
    let mut v = ChainVerifier::new(account);
    while !links.is_empty() {
        let mut f = [""; LINK_FIELDS];
        for slot in &mut f {
            *slot = next_field(&mut links)?;
        }
        let [seq, id, kind_text, reverses, recorded_at, body, prev, hash] = f;
        let seq: u64 = seq
            .parse()
            .map_err(|_| StoreError::corrupt("seq", "not a number"))?;
        let reverses = (!reverses.is_empty()).then_some(reverses);
        report.entries += 1;
        let prev = hex_hash(prev, "prev_hash")?;
        let hash = hex_hash(hash, "hash")?;
        match EntryKind::parse(kind_text) {
            Some(kind) => v.next(
                &EntryFields {
                    account,
                    seq,
                    kind,
                    id,
                    reverses,
                    recorded_at,
                    body,
                },
                &prev,
                &hash,
            ),
            // An unknown kind cannot have been written by us: treat it as a changed entry.
            None => v.next(
                &EntryFields {
                    account,
                    seq,
                    kind: EntryKind::Outcome,
                    id,
                    reverses,
                    recorded_at,
                    body: kind_text,
                },
                &prev,
                &[0xff; 32],
            ),
        }
    }
    report.chains += 1;
    if let Err(broken) = v.finish(head) {
        report.broken.push(broken);
    }
    Ok(())
}

/// Verifies the chains of one range of accounts.
async fn verify_range(pool: sqlx::AnyPool, range: Range) -> StoreResult<VerifyReport> {
    let mut report = VerifyReport::default();
    let mut heads: HashMap<String, Head> = HashMap::new();
    {
        let sql = bounded_sql(
            "SELECT account_id, seq, hash FROM archive_heads",
            "",
            &range,
        );
        let mut rows = bind_range(sqlx::query(&sql), &range).fetch(&pool);
        while let Some(row) = rows.try_next().await.map_err(backend)? {
            let head = Head {
                seq: row.int("seq")? as u64,
                hash: hash_of(row.bytes("hash")?, "hash")?,
            };
            heads.insert(row.text("account_id")?, head);
        }
    }
    let mut conn = pool.acquire().await.map_err(backend)?;
    let sql = chains_sql(conn.backend_name(), &range);
    let mut rows = bind_range(sqlx::query(&sql), &range).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await.map_err(backend)? {
        let account = row.text("account_id")?;
        let links = row.text("links")?;
        let head = heads.remove(&account);
        verify_chain(&account, &links, head, &mut report)?;
    }
    // Heads without any entry left: the whole chain was removed.
    for account in heads.into_keys() {
        report.chains += 1;
        report.broken.push(lifelong_core::archive::BrokenLink {
            account,
            seq: 1,
            entry_id: String::new(),
            reason: lifelong_core::archive::BreakReason::HeadMismatch,
        });
    }
    Ok(report)
}

impl SqlStore {
    /// Verifies every chain in `parts` ranges of accounts at once (what
    /// [`ArchiveStore::verify_archive`] does with one part per core on large archives).
    pub async fn verify_archive_in_parts(&self, parts: usize) -> StoreResult<VerifyReport> {
        let (chains,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM archive_heads")
            .fetch_one(&self.read)
            .await
            .map_err(backend)?;
        let parts = parts.max(1);
        let mut bounds: Vec<Option<String>> = vec![None];
        for k in 1..parts {
            let offset = chains * k as i64 / parts as i64;
            let row: Option<(String,)> = sqlx::query_as(
                "SELECT account_id FROM archive_heads ORDER BY account_id LIMIT 1 OFFSET $1",
            )
            .bind(offset)
            .fetch_optional(&self.read)
            .await
            .map_err(backend)?;
            bounds.extend(row.map(|(a,)| Some(a)));
        }
        bounds.push(None);
        let mut tasks = tokio::task::JoinSet::new();
        for pair in bounds.windows(2) {
            tasks.spawn(verify_range(
                self.read.clone(),
                (pair[0].clone(), pair[1].clone()),
            ));
        }
        let mut report = VerifyReport::default();
        while let Some(done) = tasks.join_next().await {
            let part =
                done.map_err(|e| StoreError::Backend(format!("verification task: {e}")))??;
            report.chains += part.chains;
            report.entries += part.entries;
            report.broken.extend(part.broken);
        }
        report.broken.sort_by(|a, b| a.account.cmp(&b.account));
        Ok(report)
    }
}

#[async_trait]
impl ArchiveStore for SqlStore {
    async fn archive_page(
        &self,
        account: &AccountId,
        filter: &ArchiveFilter,
        cursor: &Cursor,
    ) -> StoreResult<Page<ArchiveEntry>> {
        let mut sql = format!("SELECT {ENTRY_COLUMNS} FROM archive_entries WHERE account_id = $1");
        let mut binds: Vec<Bind> = Vec::new();
        let mut push = |sql: &mut String, cond: &str, value: Bind| {
            binds.push(value);
            sql.push_str(&format!(" AND {cond} ${}", binds.len() + 1));
        };
        if let Some(y) = filter.year {
            push(&mut sql, "year =", Bind::Int(i64::from(y)));
        }
        if let Some(c) = filter.category {
            push(&mut sql, "category =", Bind::Text(c.as_str()));
        }
        if let Some(k) = filter.outcome_kind {
            push(&mut sql, "outcome_kind =", Bind::Text(k.as_str()));
        }
        if let Some(k) = filter.kind {
            push(&mut sql, "kind =", Bind::Text(k.as_str()));
        }
        if let Some(a) = cursor.after.as_deref().and_then(|a| a.parse::<i64>().ok()) {
            push(&mut sql, "seq <", Bind::Int(a));
        }
        sql.push_str(&format!(" ORDER BY seq DESC LIMIT {}", cursor.limit + 1));
        let mut q = sqlx::query(&sql).bind(account.as_str());
        for value in binds {
            q = match value {
                Bind::Int(i) => q.bind(i),
                Bind::Text(t) => q.bind(t),
            };
        }
        let rows = q.fetch_all(&self.read).await.map_err(backend)?;
        let entries = rows
            .iter()
            .map(entry_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::from_overfetch(entries, cursor.limit, |e| {
            e.seq.to_string()
        }))
    }

    async fn archive_all(&self, account: &AccountId) -> StoreResult<Vec<ArchiveEntry>> {
        let rows = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM archive_entries WHERE account_id = $1 ORDER BY seq"
        ))
        .bind(account.as_str())
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.iter().map(entry_from_row).collect()
    }

    async fn archive_entry(&self, id: &EntryId) -> StoreResult<ArchiveEntry> {
        let row = sqlx::query(&format!(
            "SELECT {ENTRY_COLUMNS} FROM archive_entries WHERE id = $1"
        ))
        .bind(id.as_str())
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
        entry_from_row(&row)
    }

    async fn append_entries(
        &self,
        account: &AccountId,
        entries: Vec<NewEntry>,
        audit: NewAudit,
    ) -> StoreResult<Vec<ArchiveEntry>> {
        retry_when_chains_move!({
            let mut tx = self.write.begin().await.map_err(backend)?;
            let pairs: Vec<(&AccountId, &NewEntry)> =
                entries.iter().map(|e| (account, e)).collect();
            let stored = append_entries_in(&mut tx, &pairs).await?;
            insert_audit(&mut tx, &audit).await?;
            tx.commit().await.map_err(backend)?;
            Ok(stored)
        })
    }

    async fn verify_archive(&self) -> StoreResult<VerifyReport> {
        // Large archives are verified in ranges of accounts side by side, one connection and
        // one task each: reading and decoding rows, not hashing, is what takes the time.
        let (chains,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM archive_heads")
            .fetch_one(&self.read)
            .await
            .map_err(backend)?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let parts = if chains < 10_000 {
            1
        } else {
            cores.clamp(1, 8)
        };
        self.verify_archive_in_parts(parts).await
    }

    async fn credit_totals(&self, account: &AccountId) -> StoreResult<Vec<CategoryCredits>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT category, CAST(SUM(credits) AS BIGINT) FROM recognitions WHERE account_id = $1 \
             AND revoked_at IS NULL GROUP BY category",
        )
        .bind(account.as_str())
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        let mut totals: Vec<CategoryCredits> = CreditCategory::ALL
            .iter()
            .map(|&category| CategoryCredits {
                category,
                credits: Credits::ZERO,
            })
            .collect();
        for (category, units) in rows {
            let category = CreditCategory::parse(&category)
                .ok_or_else(|| StoreError::corrupt("category", category))?;
            let credits =
                Credits::from_units(units).map_err(|e| StoreError::corrupt("credits", e))?;
            if let Some(t) = totals.iter_mut().find(|t| t.category == category) {
                t.credits = credits;
            }
        }
        Ok(totals)
    }
}
