//! Parameters by name, read from [`Params`] itself: the names of every
//! governable parameter in declaration order, setting one by name, and JSON
//! in and out (serde, the program crate's `serde` feature). The deploy
//! script's genesis file, the CLI's `params` flags and JSON, and the
//! simulator's `--params` and `--sweep` all go through this module, so a new
//! parameter needs only its field (and its bound) in the program.

use coherence::math::Params;
use serde::de::{self, Visitor};
use serde_json::Value;

/// Every field of [`Params`], in declaration order.
///
/// ```
/// let names = coherence_sdk::params::names();
/// assert_eq!(names[0], "alpha_bps");
/// assert!(names.contains(&"timelock_secs"));
/// ```
pub fn names() -> &'static [&'static str] {
    let mut fields = FieldNames(&[]);
    // Serde hands a struct's field names to the deserializer it reads from.
    let _ = <Params as serde::Deserialize>::deserialize(&mut fields);
    fields.0
}

/// `p` as a JSON object, one key per field.
///
/// ```
/// let p = coherence_sdk::defaults::params(1_000);
/// assert_eq!(coherence_sdk::params::to_json(&p)["alpha_bps"], 5_000);
/// ```
pub fn to_json(p: &Params) -> Value {
    serde_json::to_value(p).unwrap_or(Value::Null)
}

/// Sets the field `name` of `p` to `value`. Bounds are the program's to
/// check (genesis, `propose_params`); this only refuses an unknown name or a
/// value that does not fit the field's type.
///
/// ```
/// let mut p = coherence_sdk::defaults::params(1_000);
/// coherence_sdk::params::set(&mut p, "gate_bps", 9_500).unwrap();
/// assert_eq!(p.gate_bps, 9_500);
/// assert!(coherence_sdk::params::set(&mut p, "gate_bps", 70_000).unwrap_err().contains("u16"));
/// ```
pub fn set(p: &mut Params, name: &str, value: u64) -> Result<(), String> {
    if !names().contains(&name) {
        return Err(format!("unknown parameter {name}; one of: {}", names().join(", ")));
    }
    let mut json = to_json(p);
    json[name] = Value::from(value);
    *p = serde_json::from_value(json).map_err(|e| format!("{name} = {value} does not fit: {e}"))?;
    Ok(())
}

/// Applies a JSON object of parameters (`{"alpha_bps": 7000, …}`, or the
/// same under a `"params"` key as in a genesis file) over `p`, field by field.
///
/// ```
/// let mut p = coherence_sdk::defaults::params(1_000);
/// coherence_sdk::params::apply_json(&mut p, &serde_json::json!({"params": {"ema_bps": 3_000}})).unwrap();
/// assert_eq!(p.ema_bps, 3_000);
/// ```
pub fn apply_json(p: &mut Params, json: &Value) -> Result<(), String> {
    let obj = json.get("params").unwrap_or(json).as_object().ok_or("the params file must hold a JSON object")?;
    for (k, v) in obj {
        let v = v.as_u64().ok_or_else(|| format!("{k}: expected a non-negative integer, got {v}"))?;
        set(p, k, v)?;
    }
    Ok(())
}

/// Records the field names serde asks for, then stops.
struct FieldNames(&'static [&'static str]);

impl<'de> de::Deserializer<'de> for &mut FieldNames {
    type Error = de::value::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = fields;
        Err(de::Error::custom("field names read"))
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only a struct's field names are read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_set_by_name_and_from_json() {
        let mut p = crate::defaults::params(1_000);
        set(&mut p, "alpha_bps", 7_000).unwrap();
        assert_eq!(p.alpha_bps, 7_000);
        assert!(set(&mut p, "alpha_bps", 70_000).unwrap_err().contains("u16"));
        assert!(set(&mut p, "beta", 1).unwrap_err().contains("unknown parameter"));
        apply_json(&mut p, &serde_json::json!({"params": {"gate_bps": 10_000}})).unwrap();
        assert_eq!(p.gate_bps, 10_000);
        assert!(apply_json(&mut p, &serde_json::json!({"gate_bps": -1})).is_err());
    }

    #[test]
    fn names_cover_every_field_once_in_order() {
        let names = names();
        let json = to_json(&crate::defaults::params(1));
        assert_eq!(names.len(), json.as_object().map_or(0, |o| o.len()));
        assert_eq!(names.first(), Some(&"alpha_bps"));
        assert_eq!(names.last(), Some(&"timelock_secs"));
        // Round trip: JSON out, JSON in.
        let p = crate::defaults::params(123);
        assert_eq!(serde_json::from_value::<Params>(to_json(&p)).unwrap(), p);
    }
}
