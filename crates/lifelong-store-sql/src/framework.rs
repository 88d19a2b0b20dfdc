//! Qualifications frameworks and the level mappings between them (R12). Both are kept whole
//! as JSON, like the rest of the catalog; the [`CatalogStore`](lifelong_store::CatalogStore)
//! methods in `catalog.rs` call these.

use lifelong_core::framework::{Framework, LevelMapping};
use lifelong_store::{NewAudit, StoreError, StoreResult};
use sqlx::AnyPool;
use time::OffsetDateTime;

use crate::audit::insert_audit;
use crate::catalog::{from_json, to_json};
use crate::codec::{backend, ts};

/// Adds or replaces a framework; `default` makes it the one levels refer to.
pub(crate) async fn put_framework(
    write: &AnyPool,
    framework: &Framework,
    default: bool,
    audit: &NewAudit,
) -> StoreResult<()> {
    let mut tx = write.begin().await.map_err(backend)?;
    if default {
        sqlx::query("UPDATE frameworks SET is_default = 0")
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
    }
    sqlx::query(
        "INSERT INTO frameworks (code, is_default, body, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (code) DO UPDATE SET is_default = $2, body = $3, updated_at = $4",
    )
    .bind(&framework.code)
    .bind(i64::from(default))
    .bind(to_json(framework)?)
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    insert_audit(&mut tx, audit).await?;
    tx.commit().await.map_err(backend)
}

/// The default framework, if one is set.
pub(crate) async fn default_framework(read: &AnyPool) -> StoreResult<Option<Framework>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT body FROM frameworks WHERE is_default = 1")
        .fetch_optional(read)
        .await
        .map_err(backend)?;
    row.map(|(b,)| from_json("frameworks", &b)).transpose()
}

/// Every framework, the default first.
pub(crate) async fn frameworks(read: &AnyPool) -> StoreResult<Vec<Framework>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM frameworks ORDER BY is_default DESC, code")
            .fetch_all(read)
            .await
            .map_err(backend)?;
    rows.into_iter()
        .map(|(b,)| from_json("frameworks", &b))
        .collect()
}

/// Adds or replaces the mapping of one framework onto another. The framework mapped onto must
/// be stored (`NotFound` otherwise).
pub(crate) async fn put_level_mapping(
    write: &AnyPool,
    mapping: &LevelMapping,
    audit: &NewAudit,
) -> StoreResult<()> {
    let mut tx = write.begin().await.map_err(backend)?;
    let onto: Option<(String,)> = sqlx::query_as("SELECT code FROM frameworks WHERE code = $1")
        .bind(&mapping.to_framework)
        .fetch_optional(&mut *tx)
        .await
        .map_err(backend)?;
    if onto.is_none() {
        return Err(StoreError::NotFound);
    }
    sqlx::query(
        "INSERT INTO level_mappings (from_framework, to_framework, body, updated_at) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (from_framework, to_framework) DO UPDATE SET body = $3, updated_at = $4",
    )
    .bind(&mapping.from_framework)
    .bind(&mapping.to_framework)
    .bind(to_json(mapping)?)
    .bind(ts(OffsetDateTime::now_utc()))
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    insert_audit(&mut tx, audit).await?;
    tx.commit().await.map_err(backend)
}

/// Every level mapping, by the codes of the two frameworks.
pub(crate) async fn level_mappings(read: &AnyPool) -> StoreResult<Vec<LevelMapping>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM level_mappings ORDER BY from_framework, to_framework")
            .fetch_all(read)
            .await
            .map_err(backend)?;
    rows.into_iter()
        .map(|(b,)| from_json("level_mappings", &b))
        .collect()
}
