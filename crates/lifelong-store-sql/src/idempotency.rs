//! `Idempotency-Key` bookkeeping: claim, complete, release.

use async_trait::async_trait;
use lifelong_store::{IdempotencyClaim, IdempotencyStore, StoreResult, StoredResponse};
use time::OffsetDateTime;

use crate::codec::{backend, ts};
use crate::SqlStore;

#[async_trait]
impl IdempotencyStore for SqlStore {
    async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        request_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<IdempotencyClaim> {
        let inserted = sqlx::query(
            "INSERT INTO idempotency_keys (scope, key, request_hash, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(scope)
        .bind(key)
        .bind(request_hash)
        .bind(ts(now))
        .execute(&self.write)
        .await
        .map_err(backend)?;
        if inserted.rows_affected() == 1 {
            return Ok(IdempotencyClaim::Claimed);
        }
        let row: Option<(String, Option<i64>, Option<Vec<u8>>)> = sqlx::query_as(
            "SELECT request_hash, status, body FROM idempotency_keys WHERE scope = $1 AND key = $2",
        )
        .bind(scope)
        .bind(key)
        .fetch_optional(&self.write)
        .await
        .map_err(backend)?;
        Ok(match row {
            // Released between our insert and our read: the caller may simply try again.
            None => IdempotencyClaim::InProgress,
            Some((hash, _, _)) if hash != request_hash => IdempotencyClaim::Mismatch,
            Some((_, Some(status), body)) => IdempotencyClaim::Replay(StoredResponse {
                status: u16::try_from(status).unwrap_or(500),
                body: body.unwrap_or_default(),
            }),
            Some((_, None, _)) => IdempotencyClaim::InProgress,
        })
    }

    async fn complete_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        response: StoredResponse,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE idempotency_keys SET status = $3, body = $4 WHERE scope = $1 AND key = $2",
        )
        .bind(scope)
        .bind(key)
        .bind(i64::from(response.status))
        .bind(response.body)
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn release_idempotency_key(&self, scope: &str, key: &str) -> StoreResult<()> {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL",
        )
        .bind(scope)
        .bind(key)
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(())
    }
}
