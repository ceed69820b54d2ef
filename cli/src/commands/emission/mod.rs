//! Emission commands (the program's `instructions/emission`): `usage record`,
//! `epoch close|show`, `crank [--watch]`, `source register|claim|show`.
pub mod crank;
pub mod epoch;
pub mod source;
pub mod usage;
