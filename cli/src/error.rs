//! CLI errors: each prints one clear line and exits non-zero.

use coherence_sdk::ClientError;

#[derive(Debug)]
pub enum CliError {
    /// A bad amount argument (nothing was sent).
    Amount(String),
    /// A bad argument or missing file (nothing was sent).
    Input(String),
    /// Writes need confirmation and none was given.
    NotConfirmed,
    /// The transaction or read failed.
    Client(ClientError),
    /// `check` found problems (count of findings at or above `warn`).
    Findings(usize),
    /// `crank --max-lag`: this many ended epochs are still open.
    Lagging(u64),
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Amount(m) => write!(f, "invalid amount {m}"),
            CliError::Input(m) => write!(f, "{m}"),
            CliError::NotConfirmed => write!(f, "not confirmed: pass -y to send without a prompt"),
            CliError::Client(e) => write!(f, "{e}"),
            CliError::Findings(n) => write!(f, "{n} finding(s) at warning level or above"),
            CliError::Lagging(n) => write!(f, "the engine is {n} epochs behind"),
        }
    }
}

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        CliError::Client(e)
    }
}

impl From<coherence_sdk::SdkError> for CliError {
    fn from(e: coherence_sdk::SdkError) -> Self {
        CliError::Client(e.into())
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;
