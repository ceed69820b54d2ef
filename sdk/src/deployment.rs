//! Where an engine lives: the cluster's RPC URL, the program id and the
//! engine address, bundled so tools pass one value around.

use anchor_lang::prelude::Pubkey;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A cluster by name, or a custom RPC URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cluster {
    /// In process (no validator).
    Local,
    /// A local validator on 127.0.0.1:8899.
    Localnet,
    /// Solana devnet.
    Devnet,
    /// Solana mainnet-beta.
    Mainnet,
    /// Any other RPC URL.
    Custom(String),
}

impl Cluster {
    /// The RPC URL (`None` for the in-process cluster).
    ///
    /// ```
    /// use coherence_sdk::deployment::Cluster;
    /// assert_eq!(Cluster::Local.rpc_url(), None);
    /// assert_eq!("localnet".parse::<Cluster>().unwrap().rpc_url().unwrap(), "http://127.0.0.1:8899");
    /// ```
    pub fn rpc_url(&self) -> Option<String> {
        match self {
            Cluster::Local => None,
            Cluster::Localnet => Some("http://127.0.0.1:8899".into()),
            Cluster::Devnet => Some("https://api.devnet.solana.com".into()),
            Cluster::Mainnet => Some("https://api.mainnet-beta.solana.com".into()),
            Cluster::Custom(url) => Some(url.clone()),
        }
    }
}

impl FromStr for Cluster {
    type Err = String;
    /// `local`, `localnet`, `devnet`, `mainnet` (`mainnet-beta`), or an http(s) URL.
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "local" => Cluster::Local,
            "localnet" | "l" => Cluster::Localnet,
            "devnet" | "d" => Cluster::Devnet,
            "mainnet" | "mainnet-beta" | "m" => Cluster::Mainnet,
            u if u.starts_with("http://") || u.starts_with("https://") => Cluster::Custom(u.into()),
            other => {
                return Err(format!(
                    "unknown cluster {other:?}: use local, localnet, devnet, mainnet or an http(s) URL"
                ))
            }
        })
    }
}

/// One engine on one cluster.
///
/// ```
/// use coherence_sdk::deployment::{Cluster, Deployment};
/// let d = Deployment::new(Cluster::Devnet, anchor_lang::prelude::Pubkey::new_unique());
/// assert_eq!(d.program_id, coherence::ID);
/// assert!(d.cluster.rpc_url().unwrap().starts_with("https://"));
/// let json = serde_json::to_string(&d).unwrap();
/// assert_eq!(serde_json::from_str::<Deployment>(&json).unwrap(), d);
/// let with_table = Deployment { lookup_table: Some(anchor_lang::prelude::Pubkey::new_unique()), ..d };
/// let json = serde_json::to_string(&with_table).unwrap();
/// assert_eq!(serde_json::from_str::<Deployment>(&json).unwrap(), with_table);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    /// Where.
    pub cluster: Cluster,
    #[serde(with = "pubkey_string")]
    /// The Coherence program id.
    pub program_id: Pubkey,
    #[serde(with = "pubkey_string")]
    /// The engine address.
    pub engine: Pubkey,
    /// The engine's address lookup table for `close_epoch`, once created
    /// (`ops::ensure_lookup_table`); absent in older files.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_pubkey_string")]
    pub lookup_table: Option<Pubkey>,
}

impl Deployment {
    /// The engine `engine` of this program on `cluster`.
    ///
    /// ```
    /// use coherence_sdk::deployment::{Cluster, Deployment};
    /// let d = Deployment::new(Cluster::Local, anchor_lang::prelude::Pubkey::new_unique());
    /// assert_eq!(d.program_id, coherence::ID);
    /// ```
    pub fn new(cluster: Cluster, engine: Pubkey) -> Self {
        Deployment { cluster, program_id: coherence::ID, engine, lookup_table: None }
    }

    /// Tells `client` about this deployment's lookup table, if any.
    pub fn apply(&self, client: &mut crate::Client) {
        if let Some(table) = self.lookup_table {
            client.set_lookup_table(self.engine, table);
        }
    }
}

mod opt_pubkey_string {
    use anchor_lang::prelude::Pubkey;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::str::FromStr;

    pub fn serialize<S: Serializer>(key: &Option<Pubkey>, s: S) -> Result<S::Ok, S::Error> {
        match key {
            Some(k) => s.serialize_str(&k.to_string()),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Pubkey>, D::Error> {
        Option::<String>::deserialize(d)?.map(|t| Pubkey::from_str(&t).map_err(serde::de::Error::custom)).transpose()
    }
}

mod pubkey_string {
    use anchor_lang::prelude::Pubkey;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::str::FromStr;

    pub fn serialize<S: Serializer>(key: &Pubkey, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&key.to_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Pubkey, D::Error> {
        let text = String::deserialize(d)?;
        Pubkey::from_str(&text).map_err(serde::de::Error::custom)
    }
}
