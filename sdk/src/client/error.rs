//! Client errors. A failed transaction carries the program error *name*
//! (Anchor codes 6000+ mapped back to `CoherenceError`) and the logs.

use coherence::errors::CoherenceError;
use solana_instruction_error::InstructionError;
use solana_transaction_error::TransactionError;

/// Why a client operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// The program refused the transaction with one of its named errors.
    Program {
        /// The program's error variant.
        error: CoherenceError,
        /// Program logs of the failed transaction.
        logs: Vec<String>,
    },
    /// An Anchor framework check failed (account constraint, signer, ...).
    Anchor {
        /// Anchor's error code (2000-range constraints, 3000-range accounts).
        code: u32,
        /// Program logs of the failed transaction.
        logs: Vec<String>,
    },
    /// The transaction failed elsewhere (token program, runtime, fees).
    Transaction {
        /// The runtime's description.
        error: String,
        /// Program logs of the failed transaction.
        logs: Vec<String>,
    },
    /// The RPC node could not be reached or answered with an error.
    Rpc(String),
    /// The blockhash expired before the transaction was confirmed.
    Expired,
    /// A required account does not exist.
    AccountNotFound(String),
    /// Account data did not decode as the expected type.
    Decode(String),
    /// Local state file could not be read or written.
    Io(String),
}

impl ClientError {
    /// Classifies a transaction error, keeping the logs.
    ///
    /// ```
    /// use solana_instruction_error::InstructionError;
    /// use solana_transaction_error::TransactionError;
    /// let e = coherence_sdk::ClientError::from_transaction(TransactionError::InstructionError(0, InstructionError::Custom(6054)), vec![]);
    /// assert_eq!(e.program_error(), Some(coherence::errors::CoherenceError::StillLocked));
    /// assert!(e.to_string().starts_with("StillLocked (6054)"));
    /// ```
    pub fn from_transaction(err: TransactionError, logs: Vec<String>) -> Self {
        if let TransactionError::InstructionError(_, InstructionError::Custom(code)) = &err {
            if let Some(error) = crate::error::program_error(*code) {
                return ClientError::Program { error, logs };
            }
            if (100..6000).contains(code) {
                return ClientError::Anchor { code: *code, logs };
            }
        }
        ClientError::Transaction { error: err.to_string(), logs }
    }

    /// The program error, if that is what failed.
    ///
    /// ```
    /// assert_eq!(coherence_sdk::ClientError::Expired.program_error(), None);
    /// ```
    pub fn program_error(&self) -> Option<CoherenceError> {
        match self {
            ClientError::Program { error, .. } => Some(*error),
            _ => None,
        }
    }

    /// Program logs of a failed transaction (empty otherwise).
    ///
    /// ```
    /// assert!(coherence_sdk::ClientError::Expired.logs().is_empty());
    /// ```
    pub fn logs(&self) -> &[String] {
        match self {
            ClientError::Program { logs, .. }
            | ClientError::Anchor { logs, .. }
            | ClientError::Transaction { logs, .. } => logs,
            _ => &[],
        }
    }
}

impl core::fmt::Display for ClientError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ClientError::Program { error, .. } => {
                write!(f, "{} ({}): {}", error.name(), 6000 + *error as u32, error)
            }
            ClientError::Anchor { code, .. } => match crate::error::anchor_error_name(*code) {
                Some(name) => write!(f, "{name} ({code}): refused by an Anchor account or instruction check"),
                None => write!(f, "Anchor error {code}"),
            },
            ClientError::Transaction { error, .. } => write!(f, "transaction failed: {error}"),
            ClientError::Rpc(e) => write!(f, "RPC error: {e}"),
            ClientError::Expired => write!(f, "blockhash expired before confirmation"),
            ClientError::AccountNotFound(k) => write!(f, "account {k} does not exist"),
            ClientError::Decode(e) => write!(f, "account decode failed: {e}"),
            ClientError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ClientError {}

impl From<crate::SdkError> for ClientError {
    fn from(e: crate::SdkError) -> Self {
        match e {
            crate::SdkError::Decode(d) => ClientError::Decode(d),
            crate::SdkError::Program(error) => ClientError::Program { error, logs: vec![] },
        }
    }
}
