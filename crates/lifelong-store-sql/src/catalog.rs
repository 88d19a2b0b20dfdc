//! The credit bank's catalog: versioned units, standards and conversion rules (published
//! versions are immutable; publishing supersedes), programmes, and the calendar; frameworks and
//! level mappings are written by `framework.rs`.

use async_trait::async_trait;
use lifelong_core::calendar::WorkCalendar;
use lifelong_core::catalog::Catalog;
use lifelong_core::framework::{Framework, LevelMapping};
use lifelong_core::programme::{ConversionRule, Programme};
use lifelong_core::publication::{PublicationStatus, Window};
use lifelong_core::recognition::RecognitionStandard;
use lifelong_core::unit::Unit;
use lifelong_store::{
    CatalogStore, ImportCounts, InstitutionId, NewAudit, StoreError, StoreResult, StoredProgramme,
    Versioned,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};

use crate::audit::insert_audit;
use crate::codec::{backend, date, parse_date, ts, RowExt};
use crate::SqlStore;

/// A value bound to an extra column.
enum Val {
    Int(i64),
    Text(String),
    OptText(Option<String>),
}

/// What the store needs of a versioned catalog item.
trait Item: Serialize + DeserializeOwned + PartialEq {
    const TABLE: &'static str;
    fn code(&self) -> &str;
    fn version(&self) -> u32;
    fn status_mut(&mut self) -> &mut PublicationStatus;
    fn window_mut(&mut self) -> &mut Window;
    fn title_zh(&self) -> &str;
    /// Columns other than the common ones.
    fn extra(&self) -> Vec<(&'static str, Val)>;
}

impl Item for Unit {
    const TABLE: &'static str = "units";
    fn code(&self) -> &str {
        &self.code
    }
    fn version(&self) -> u32 {
        self.version
    }
    fn status_mut(&mut self) -> &mut PublicationStatus {
        &mut self.status
    }
    fn window_mut(&mut self) -> &mut Window {
        &mut self.window
    }
    fn title_zh(&self) -> &str {
        &self.title.zh
    }
    fn extra(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("category", Val::Text(self.category.as_str().into())),
            ("level", Val::Int(i64::from(self.level.get()))),
            ("industry", Val::OptText(self.industry.map(String::from))),
            ("credits", Val::Int(self.credits.units())),
        ]
    }
}

impl Item for RecognitionStandard {
    const TABLE: &'static str = "standards";
    fn code(&self) -> &str {
        &self.code
    }
    fn version(&self) -> u32 {
        self.version
    }
    fn status_mut(&mut self) -> &mut PublicationStatus {
        &mut self.status
    }
    fn window_mut(&mut self) -> &mut Window {
        &mut self.window
    }
    fn title_zh(&self) -> &str {
        &self.title.zh
    }
    fn extra(&self) -> Vec<(&'static str, Val)> {
        vec![("unit_code", Val::Text(self.unit_code.clone()))]
    }
}

impl Item for ConversionRule {
    const TABLE: &'static str = "conversion_rules";
    fn code(&self) -> &str {
        &self.code
    }
    fn version(&self) -> u32 {
        self.version
    }
    fn status_mut(&mut self) -> &mut PublicationStatus {
        &mut self.status
    }
    fn window_mut(&mut self) -> &mut Window {
        &mut self.window
    }
    fn title_zh(&self) -> &str {
        &self.title.zh
    }
    fn extra(&self) -> Vec<(&'static str, Val)> {
        vec![
            ("programme_code", Val::Text(self.programme_code.clone())),
            ("course_code", Val::Text(self.course_code.clone())),
        ]
    }
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(format!("encode: {e}")))
}

pub(crate) fn from_json<T: DeserializeOwned>(what: &'static str, text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::corrupt(what, e))
}

async fn load_item<T: Item>(
    conn: &mut AnyConnection,
    code: &str,
    version: u32,
) -> StoreResult<Option<T>> {
    let row: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT body FROM {} WHERE code = $1 AND version = $2",
        T::TABLE
    ))
    .bind(code)
    .bind(i64::from(version))
    .fetch_optional(&mut *conn)
    .await
    .map_err(backend)?;
    row.map(|(body,)| from_json(T::TABLE, &body)).transpose()
}

/// Writes an item's row: inserts it, or rewrites it in place (the caller has checked that this
/// is allowed).
async fn write_item<T: Item>(
    conn: &mut AnyConnection,
    item: &mut T,
    exists: bool,
) -> StoreResult<()> {
    let status = item.status_mut().as_str();
    let window = *item.window_mut();
    let extra = item.extra();
    let body = to_json(item)?;
    let now = ts(OffsetDateTime::now_utc());
    let mut cols = vec![
        "status",
        "valid_from",
        "valid_until",
        "title_zh",
        "body",
        "updated_at",
    ];
    cols.extend(extra.iter().map(|(c, _)| *c));
    let sql = if exists {
        let sets: Vec<String> = cols
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ${}", i + 3))
            .collect();
        format!(
            "UPDATE {} SET {} WHERE code = $1 AND version = $2",
            T::TABLE,
            sets.join(", ")
        )
    } else {
        let params: Vec<String> = (1..=cols.len() + 2).map(|i| format!("${i}")).collect();
        format!(
            "INSERT INTO {} (code, version, {}) VALUES ({})",
            T::TABLE,
            cols.join(", "),
            params.join(", ")
        )
    };
    let mut q = sqlx::query(&sql)
        .bind(item.code().to_owned())
        .bind(i64::from(item.version()))
        .bind(status)
        .bind(date(window.from))
        .bind(window.until.map(date))
        .bind(item.title_zh().to_owned())
        .bind(body)
        .bind(now);
    for (_, v) in extra {
        q = match v {
            Val::Int(i) => q.bind(i),
            Val::Text(t) => q.bind(t),
            Val::OptText(t) => q.bind(t),
        };
    }
    q.execute(&mut *conn).await.map_err(backend)?;
    Ok(())
}

/// Adds an item, or changes a draft. Returns whether anything changed.
async fn put_item<T: Item>(
    conn: &mut AnyConnection,
    item: &T,
    as_draft: bool,
) -> StoreResult<bool> {
    let mut item = serde_json::from_str::<T>(&to_json(item)?)
        .map_err(|e| StoreError::Backend(e.to_string()))?;
    if as_draft {
        *item.status_mut() = PublicationStatus::Draft;
    }
    match load_item::<T>(conn, item.code(), item.version()).await? {
        Some(existing) if existing == item => Ok(false),
        Some(mut existing) => {
            if *existing.status_mut() != PublicationStatus::Draft {
                return Err(StoreError::Conflict("published_version_immutable"));
            }
            write_item(conn, &mut item, true).await?;
            Ok(true)
        }
        None => {
            write_item(conn, &mut item, false).await?;
            Ok(true)
        }
    }
}

async fn publish_item<T: Item>(
    conn: &mut AnyConnection,
    code: &str,
    version: u32,
    window: Window,
) -> StoreResult<()> {
    let mut item = load_item::<T>(conn, code, version)
        .await?
        .ok_or(StoreError::NotFound)?;
    if *item.status_mut() != PublicationStatus::Draft {
        return Err(StoreError::Conflict("not_a_draft"));
    }
    *item.status_mut() = PublicationStatus::Published;
    *item.window_mut() = window;
    write_item(conn, &mut item, true).await?;
    let others: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT version FROM {} WHERE code = $1 AND version <> $2 AND status = 'published'",
        T::TABLE
    ))
    .bind(code)
    .bind(i64::from(version))
    .fetch_all(&mut *conn)
    .await
    .map_err(backend)?;
    for (other,) in others {
        let Ok(other) = u32::try_from(other) else {
            continue;
        };
        if let Some(mut old) = load_item::<T>(conn, code, other).await? {
            *old.status_mut() = PublicationStatus::Superseded;
            let closed = old.window_mut().closed_before(window.from);
            *old.window_mut() = closed;
            write_item(conn, &mut old, true).await?;
        }
    }
    Ok(())
}

async fn list_items<T: Item>(
    sql: &str,
    bind: Option<&str>,
    pool: &sqlx::AnyPool,
) -> StoreResult<Vec<T>> {
    let mut q = sqlx::query_as::<_, (String,)>(sql);
    if let Some(b) = bind {
        q = q.bind(b.to_owned());
    }
    q.fetch_all(pool)
        .await
        .map_err(backend)?
        .into_iter()
        .map(|(body,)| from_json(T::TABLE, &body))
        .collect()
}

async fn institution_by_code(
    conn: &mut AnyConnection,
    credit_code: &str,
) -> StoreResult<InstitutionId> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM institutions WHERE credit_code = $1")
            .bind(credit_code)
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
    row.map(|(id,)| InstitutionId::from_db(id))
        .ok_or(StoreError::NotFound)
}

/// Adds or replaces a programme; returns whether anything changed.
async fn put_programme(conn: &mut AnyConnection, p: &Programme) -> StoreResult<bool> {
    let institution = institution_by_code(conn, &p.institution).await?;
    let body = to_json(p)?;
    let existing: Option<(String,)> = sqlx::query_as("SELECT body FROM programmes WHERE code = $1")
        .bind(&p.code)
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?;
    let now = ts(OffsetDateTime::now_utc());
    match existing {
        Some((old,)) if old == body => return Ok(false),
        Some(_) => {
            sqlx::query(
                "UPDATE programmes SET institution_id = $2, title_zh = $3, level = $4, body = $5, \
                 updated_at = $6 WHERE code = $1",
            )
            .bind(&p.code)
            .bind(institution.as_str())
            .bind(&p.title.zh)
            .bind(i64::from(p.level.get()))
            .bind(body)
            .bind(now)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        }
        None => {
            sqlx::query(
                "INSERT INTO programmes (code, institution_id, title_zh, level, body, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&p.code)
            .bind(institution.as_str())
            .bind(&p.title.zh)
            .bind(i64::from(p.level.get()))
            .bind(body)
            .bind(now)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        }
    }
    Ok(true)
}

fn programme_from_row(row: &sqlx::any::AnyRow) -> StoreResult<StoredProgramme> {
    Ok(StoredProgramme {
        programme: from_json("programmes", &row.text("body")?)?,
        institution_id: InstitutionId::from_db(row.text("institution_id")?),
        updated_at: row.time("updated_at")?,
    })
}

#[async_trait]
impl CatalogStore for SqlStore {
    async fn put_framework(
        &self,
        framework: &Framework,
        default: bool,
        audit: NewAudit,
    ) -> StoreResult<()> {
        crate::framework::put_framework(&self.write, framework, default, &audit).await
    }

    async fn default_framework(&self) -> StoreResult<Option<Framework>> {
        crate::framework::default_framework(&self.read).await
    }

    async fn frameworks(&self) -> StoreResult<Vec<Framework>> {
        crate::framework::frameworks(&self.read).await
    }

    async fn put_level_mapping(&self, mapping: &LevelMapping, audit: NewAudit) -> StoreResult<()> {
        crate::framework::put_level_mapping(&self.write, mapping, &audit).await
    }

    async fn level_mappings(&self) -> StoreResult<Vec<LevelMapping>> {
        crate::framework::level_mappings(&self.read).await
    }

    async fn import_catalog(
        &self,
        catalog: &Catalog,
        audit: NewAudit,
    ) -> StoreResult<ImportCounts> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let mut counts = ImportCounts::default();
        let mut count = |changed: bool| {
            if changed {
                counts.added += 1
            } else {
                counts.unchanged += 1
            }
        };
        for u in &catalog.units {
            count(put_item(&mut tx, u, false).await?);
        }
        for s in &catalog.standards {
            count(put_item(&mut tx, s, false).await?);
        }
        for p in &catalog.programmes {
            count(put_programme(&mut tx, p).await?);
        }
        for r in &catalog.rules {
            count(put_item(&mut tx, r, false).await?);
        }
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)?;
        Ok(counts)
    }

    async fn save_unit(&self, unit: &Unit, audit: NewAudit) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        put_item(&mut tx, unit, true).await?;
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)
    }

    async fn save_standard(
        &self,
        standard: &RecognitionStandard,
        audit: NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        put_item(&mut tx, standard, true).await?;
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)
    }

    async fn save_rule(&self, rule: &ConversionRule, audit: NewAudit) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        put_item(&mut tx, rule, true).await?;
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)
    }

    async fn publish(
        &self,
        what: Versioned,
        code: &str,
        version: u32,
        window: Window,
        audit: NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        match what {
            Versioned::Unit => publish_item::<Unit>(&mut tx, code, version, window).await?,
            Versioned::Standard => {
                publish_item::<RecognitionStandard>(&mut tx, code, version, window).await?
            }
            Versioned::Rule => {
                publish_item::<ConversionRule>(&mut tx, code, version, window).await?
            }
        }
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)
    }

    async fn units(&self, query: Option<&str>) -> StoreResult<Vec<Unit>> {
        match query.map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => {
                let pattern = format!("%{}%", q.replace(['%', '_'], ""));
                list_items(
                    "SELECT body FROM units WHERE code LIKE $1 OR title_zh LIKE $1 ORDER BY code, version",
                    Some(&pattern),
                    &self.read,
                )
                .await
            }
            None => {
                list_items(
                    "SELECT body FROM units ORDER BY code, version",
                    None,
                    &self.read,
                )
                .await
            }
        }
    }

    async fn standards(&self) -> StoreResult<Vec<RecognitionStandard>> {
        list_items(
            "SELECT body FROM standards ORDER BY code, version",
            None,
            &self.read,
        )
        .await
    }

    async fn rules(&self, programme: Option<&str>) -> StoreResult<Vec<ConversionRule>> {
        match programme {
            Some(p) => {
                list_items(
                    "SELECT body FROM conversion_rules WHERE programme_code = $1 ORDER BY code, version",
                    Some(p),
                    &self.read,
                )
                .await
            }
            None => list_items("SELECT body FROM conversion_rules ORDER BY code, version", None, &self.read).await,
        }
    }

    async fn save_programme(&self, programme: &Programme, audit: NewAudit) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        put_programme(&mut tx, programme).await?;
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)
    }

    async fn programme(&self, code: &str) -> StoreResult<StoredProgramme> {
        let row =
            sqlx::query("SELECT body, institution_id, updated_at FROM programmes WHERE code = $1")
                .bind(code)
                .fetch_optional(&self.read)
                .await
                .map_err(backend)?
                .ok_or(StoreError::NotFound)?;
        programme_from_row(&row)
    }

    async fn programmes(
        &self,
        institution: Option<&InstitutionId>,
    ) -> StoreResult<Vec<StoredProgramme>> {
        let rows = match institution {
            Some(i) => {
                sqlx::query("SELECT body, institution_id, updated_at FROM programmes WHERE institution_id = $1 ORDER BY code")
                    .bind(i.as_str())
                    .fetch_all(&self.read)
                    .await
            }
            None => {
                sqlx::query("SELECT body, institution_id, updated_at FROM programmes ORDER BY code")
                    .fetch_all(&self.read)
                    .await
            }
        }
        .map_err(backend)?;
        rows.iter().map(programme_from_row).collect()
    }

    async fn calendar(&self) -> StoreResult<WorkCalendar> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT day, working FROM calendar_days ORDER BY day")
                .fetch_all(&self.read)
                .await
                .map_err(backend)?;
        let days = rows
            .into_iter()
            .map(|(d, w)| Ok((parse_date(&d)?, w != 0)))
            .collect::<StoreResult<Vec<(Date, bool)>>>()?;
        Ok(WorkCalendar::new(days))
    }

    async fn set_calendar_day(
        &self,
        day: Date,
        working: Option<bool>,
        note: &str,
        audit: NewAudit,
    ) -> StoreResult<()> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        match working {
            Some(w) => {
                sqlx::query(
                    "INSERT INTO calendar_days (day, working, note) VALUES ($1, $2, $3) \
                     ON CONFLICT (day) DO UPDATE SET working = $2, note = $3",
                )
                .bind(date(day))
                .bind(i64::from(w))
                .bind(note)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
            }
            None => {
                sqlx::query("DELETE FROM calendar_days WHERE day = $1")
                    .bind(date(day))
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
            }
        }
        insert_audit(&mut tx, &audit).await?;
        tx.commit().await.map_err(backend)
    }
}
