//! The required fields of the tolerant parsers: the one value a caller
//! acts on (a forget's `status`, a balance's `balance_credits`). Every other
//! field of those bodies is absent when null or of the wrong type; these
//! fail the body instead, with `Protocol` naming the field, so that an
//! answer without them cannot read as a success.
//!
//! As elsewhere, an explicit `null` is the same as an absent key.

use super::context::number;
use super::fields::invalid;
use super::loose::Loose;
use crate::error::Error;
use crate::text::Text;

/// A string that must be present: absent or null is missing, another type
/// or a NUL inside (which C could not show) is wrong.
pub(super) fn required_text(what: &str, field: &str, value: Option<Loose<'_>>) -> Result<Text, Error> {
    match value {
        None | Some(Loose::Null) => Err(missing(what, field)),
        Some(Loose::Str(s)) => {
            Text::new(&s).ok_or_else(|| invalid(what, format_args!("field `{field}` contains a NUL character")))
        }
        Some(other) => Err(invalid(what, format_args!("field `{field}` must be a string, got {}", other.describe()))),
    }
}

/// A number that must be present, read as the tolerant `number` reads one
/// (a JSON number, or a string holding a finite one).
pub(super) fn required_number(what: &str, field: &str, value: Option<Loose<'_>>) -> Result<f64, Error> {
    let Some(sent) = value.as_ref().filter(|v| !matches!(v, Loose::Null)) else {
        return Err(missing(what, field));
    };
    number(&value)
        .ok_or_else(|| invalid(what, format_args!("field `{field}` must be a number, got {}", sent.describe())))
}

fn missing(what: &str, field: &str) -> Error {
    invalid(what, format_args!("field `{field}` is missing"))
}
