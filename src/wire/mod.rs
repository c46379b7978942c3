//! Response bodies from the wire into typed values. Each call's body parser
//! names the offending field in its error; no other module reads JSON bodies.

pub(crate) mod context;
pub(crate) mod conversation;
pub(crate) mod credits;
mod fields;
pub(crate) mod identity;
pub(crate) mod ingestion;
pub(crate) mod lifecycle;
mod loose;
pub(crate) mod memory;
mod required;
pub(crate) mod status;
#[cfg(test)]
mod test_support;
pub(crate) use status::parse_status;
