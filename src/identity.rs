//! `Identity`: who the API key belongs to, from `whoami` (contract section 15).

/// The account behind an API key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    pub(crate) client_id: Option<String>,
    pub(crate) instance_id: Option<String>,
    pub(crate) user_context_isolation: Option<String>,
}

impl Identity {
    /// The client (account) id, if the service gave it.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// The instance id, if the service gave it. Once known, its first six
    /// characters prefix this client's correlation ids.
    pub fn instance_id(&self) -> Option<&str> {
        self.instance_id.as_deref()
    }

    /// `"equals_customer"` on an instance where each customer is one user
    /// (B2C): there, `customer_id` must not be sent on create.
    pub fn user_context_isolation(&self) -> Option<&str> {
        self.user_context_isolation.as_deref()
    }

    /// Whether the instance is B2C (`user_context_isolation` is
    /// `"equals_customer"`).
    pub fn is_b2c(&self) -> bool {
        self.user_context_isolation.as_deref() == Some("equals_customer")
    }
}
