//! Emission commands (the program's `instructions/emission`): `usage record`,
//! `epoch close|show`, `crank`, `source register|claim|show`.
pub mod epoch;
pub mod source;
pub mod usage;
