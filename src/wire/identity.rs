//! The body of `GET /api/v1/auth/whoami` (contract section 15): every
//! field optional, others ignored.

use super::fields::read_object;
use crate::error::Error;
use crate::identity::Identity;

pub(crate) fn parse_identity(body: &[u8]) -> Result<Identity, Error> {
    let mut f = read_object(body, "whoami")?;
    let text = |v: Option<std::borrow::Cow<'_, str>>| v.map(|s| s.into_owned()).filter(|s| !s.is_empty());
    Ok(Identity {
        client_id: text(f.optional_str("client_id")?),
        instance_id: text(f.optional_str("instance_id")?),
        user_context_isolation: text(f.optional_str("user_context_isolation")?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_example_and_absent_fields() {
        let body = br#"{"client_id": "cli_9b2f4d6a8c0e1357", "instance_id": "inst_4e7a19c03b5d82f1",
                        "user_context_isolation": "equals_customer", "plan": "pro"}"#;
        let id = parse_identity(body).unwrap();
        assert_eq!(id.client_id(), Some("cli_9b2f4d6a8c0e1357"));
        assert_eq!(id.instance_id(), Some("inst_4e7a19c03b5d82f1"));
        assert!(id.is_b2c());
        let id = parse_identity(b"{\"user_context_isolation\": null}").unwrap();
        assert_eq!(id, Identity::default());
        assert!(!id.is_b2c());
        let e = parse_identity(b"{\"client_id\": 5}").unwrap_err();
        assert_eq!(e.message(), "invalid whoami response: field `client_id` must be a string, got the number 5");
    }
}
