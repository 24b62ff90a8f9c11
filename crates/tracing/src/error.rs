//! Errors of this crate: only while setting up (building a scrubber from files, starting a writer thread).
//! Logging itself never fails because of scrubbing.

use std::path::PathBuf;

/// Building a scrubber failed. Messages name files, rules and variables, never a scanned value.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rule file, the policy file or the key file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The engine rejected the rules or the policy (every problem listed).
    #[error(transparent)]
    Engine(#[from] logscrub_engine::Error),
    /// The worker thread of a [`crate::NonBlocking`] writer could not be started.
    #[error("cannot start the log writer thread: {0}")]
    Thread(#[source] std::io::Error),
    /// The rules, the policy or the pseudonym key could not be loaded (the message names the file or variable).
    #[error(transparent)]
    Load(#[from] logscrub_loader::LoadError),
}
