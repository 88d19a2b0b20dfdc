//! The state every handler receives: the application, the web settings and the metrics.

use std::sync::Arc;

use lifelong_app::App;

use crate::config::WebConfig;
use crate::ops::Metrics;

/// Shared by all handlers; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<WebConfig>,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// Wraps the application for serving.
    pub fn new(app: App, config: WebConfig) -> Self {
        AppState {
            app,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::new()),
        }
    }
}
