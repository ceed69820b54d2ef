//! Token amounts in UI units ("1.5") ↔ base units, with the mint's decimals.

use crate::error::CliError;

/// Parses a positive UI amount into base units.
pub fn parse(text: &str, decimals: u8) -> Result<u64, CliError> {
    let bad = |why: &str| CliError::Amount(format!("{text:?}: {why}"));
    let t = text.trim();
    if t.is_empty() {
        return Err(bad("empty"));
    }
    if t.starts_with('-') {
        return Err(bad("must be positive"));
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad("not a number"));
    }
    if frac.len() > decimals as usize {
        return Err(bad(&format!("more than {decimals} decimals")));
    }
    let scale = 10u128.pow(decimals as u32);
    let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad("too large"))? };
    let frac_units: u128 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = decimals as usize).parse().map_err(|_| bad("not a number"))?
    };
    let total = whole.checked_mul(scale).and_then(|w| w.checked_add(frac_units)).ok_or_else(|| bad("too large"))?;
    let total = u64::try_from(total).map_err(|_| bad("too large"))?;
    if total == 0 {
        return Err(bad("must be positive"));
    }
    Ok(total)
}

/// Formats base units as a UI amount.
pub fn format(units: u64, decimals: u8) -> String {
    format_u128(units.into(), decimals)
}

/// [`format`] for the u128 lifetime counters.
pub fn format_u128(units: u128, decimals: u8) -> String {
    if decimals == 0 {
        return units.to_string();
    }
    let scale = 10u128.pow(decimals as u32);
    let frac = format!("{:0width$}", units % scale, width = decimals as usize);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{}", units / scale)
    } else {
        format!("{}.{}", units / scale, frac)
    }
}

/// Base units as JSON: a number, or a string beyond `u64::MAX` (where
/// `serde_json` has no exact number).
pub fn json(units: u128) -> serde_json::Value {
    match u64::try_from(units) {
        Ok(v) => serde_json::json!(v),
        Err(_) => serde_json::json!(units.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(parse("1.5", 6).unwrap(), 1_500_000);
        assert_eq!(parse("0.000001", 6).unwrap(), 1);
        assert_eq!(parse(".5", 6).unwrap(), 500_000);
        assert_eq!(parse("42", 0).unwrap(), 42);
        for bad in ["", "-1", "0", "0.0", "1.0000001", "abc", "1e3", "18446744073709.551616", "."] {
            assert!(parse(bad, 6).is_err(), "{bad}");
        }
        assert_eq!(format(1_500_000, 6), "1.5");
        assert_eq!(format(2_000_000, 6), "2");
        assert_eq!(format(1, 6), "0.000001");
        assert_eq!(format_u128(u128::from(u64::MAX) * 10, 0), "184467440737095516150");
        assert_eq!(json(7), serde_json::json!(7));
        assert_eq!(json(u128::from(u64::MAX) + 1), serde_json::json!("18446744073709551616"));
    }
}
