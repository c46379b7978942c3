//! Settings of the lifecycle routes that `POST /_emulator/config` changes at
//! run time and `POST /_emulator/reset` puts back to the [`Config`]'s.

use std::time::Duration;

use crate::config::Config;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Knobs {
    pub upload_max_bytes: u64,
    pub forget_partial: bool,
    pub data_delete_continue_rounds: u32,
    pub data_delete_done_after: Duration,
    pub data_delete_partial: bool,
}

impl Knobs {
    pub fn of(config: &Config) -> Knobs {
        Knobs {
            upload_max_bytes: config.upload_max_bytes,
            forget_partial: config.forget_partial,
            data_delete_continue_rounds: config.data_delete_continue_rounds,
            data_delete_done_after: Duration::from_millis(config.data_delete_done_after_ms),
            data_delete_partial: config.data_delete_partial,
        }
    }
}
