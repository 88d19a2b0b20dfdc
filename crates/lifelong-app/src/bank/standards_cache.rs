//! The recognition standards and units, read from the store and indexed once, then shared by
//! every deposit, review and what-if until the catalog changes. Catalog writes made through
//! this application drop the copy at once; writes by another process (`lifelong bank import`
//! while the server runs) are picked up within [`StandardsCache::TTL`].

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use lifelong_core::recognition::StandardIndex;
use lifelong_store::Store;

use crate::error::AppResult;

/// A shared, indexed copy of the standards and units.
#[derive(Default)]
pub(crate) struct StandardsCache {
    copy: RwLock<Option<(Instant, Arc<StandardIndex>)>>,
}

impl StandardsCache {
    /// How long a copy serves before it is read again.
    pub(crate) const TTL: Duration = Duration::from_secs(10);

    /// The index: the cached copy while fresh, else a new one from the store.
    pub(crate) async fn get(&self, store: &dyn Store) -> AppResult<Arc<StandardIndex>> {
        if let Ok(guard) = self.copy.read() {
            if let Some((read_at, index)) = guard.as_ref() {
                if read_at.elapsed() < Self::TTL {
                    return Ok(index.clone());
                }
            }
        }
        let index = Arc::new(StandardIndex::new(
            store.standards().await?,
            store.units(None).await?,
        ));
        if let Ok(mut guard) = self.copy.write() {
            *guard = Some((Instant::now(), index.clone()));
        }
        Ok(index)
    }

    /// Drops the copy: the next recognition reads the catalog again.
    pub(crate) fn invalidate(&self) {
        if let Ok(mut guard) = self.copy.write() {
            *guard = None;
        }
    }
}
