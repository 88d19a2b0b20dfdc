//! The administrator's pages (系统管理): institutions and their API tokens, staff users, and
//! the audit log. Each use case checks permissions itself; these pages only show what the
//! viewer may use (regulators, for one, see the institution list read-only).

mod audit;
mod institutions;
mod users;

use axum::Router;

use crate::state::AppState;

/// Administration routes: `/admin/institutions…`, `/admin/users…`, `/admin/audit`.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(institutions::router())
        .merge(users::router())
        .merge(audit::router())
}
