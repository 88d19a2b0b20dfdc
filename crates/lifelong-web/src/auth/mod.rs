//! Who is asking: session cookies for people, bearer tokens for institution systems, and the
//! CSRF protection of forms.

pub mod api;
pub mod csrf;
pub mod session;
