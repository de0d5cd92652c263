//! Validation of what owners type in: prices, payment card numbers and card holder names.
//! Pure functions with no I/O; every error maps to a Fluent message key.

use std::str::FromStr;

use bigdecimal::{BigDecimal, RoundingMode};

/// Why a price was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    /// Nothing but whitespace was sent.
    #[error("the price is empty")]
    Empty,
    /// The text is not a plain positive number.
    #[error("the price is not a number")]
    NotANumber,
    /// More than 2 digits after the decimal separator.
    #[error("the price has more than 2 decimal places")]
    TooManyDecimals,
    /// Zero.
    #[error("the price must be greater than zero")]
    NotPositive,
    /// More than 9 999 999 999.99.
    #[error("the price is too large")]
    TooLarge,
}

impl PriceError {
    /// The Fluent key of the message shown to the owner.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Empty => "price-error-empty",
            Self::NotANumber => "price-error-not-a-number",
            Self::TooManyDecimals => "price-error-decimals",
            Self::NotPositive => "price-error-not-positive",
            Self::TooLarge => "price-error-too-large",
        }
    }
}

/// True when `groups` are thousands groups: the first 1–3 digits without a leading zero, the rest exactly 3.
fn valid_groups(groups: &[&str]) -> bool {
    let Some((first, rest)) = groups.split_first() else { return false };
    (1..=3).contains(&first.len()) && !first.starts_with('0') && rest.iter().all(|g| g.len() == 3)
}

/// Splits a whitespace-free string of digits, ',' and '.' into integer and fraction digits.
fn split_number(s: &str) -> Result<(String, String), PriceError> {
    let last_sep = s.rfind([',', '.']);
    let other_sep = last_sep.and_then(|i| s[..i].rfind(if &s[i..=i] == "," { '.' } else { ',' }));
    match (last_sep, other_sep) {
        (None, _) => Ok((s.to_owned(), String::new())),
        (Some(dec), Some(thousands)) => {
            // Both kinds: the last one is the decimal separator and occurs once, at the end.
            let (int, frac) = (&s[..dec], &s[dec + 1..]);
            let groups: Vec<&str> = int.split(&s[thousands..=thousands]).collect();
            if frac.is_empty() || groups.iter().any(|g| g.contains([',', '.'])) || !valid_groups(&groups) {
                return Err(PriceError::NotANumber);
            }
            if frac.len() > 2 {
                return Err(PriceError::TooManyDecimals);
            }
            Ok((groups.concat(), frac.to_owned()))
        }
        (Some(dec), None) => {
            // One kind: a decimal separator before 1–2 digits, otherwise thousands separators.
            let parts: Vec<&str> = s.split(&s[dec..=dec]).collect();
            match parts.as_slice() {
                _ if parts.iter().any(|p| p.is_empty()) => Err(PriceError::NotANumber),
                [int, frac] if frac.len() <= 2 => Ok(((*int).to_owned(), (*frac).to_owned())),
                _ if valid_groups(&parts) => Ok((parts.concat(), String::new())),
                [_, _] => Err(PriceError::TooManyDecimals),
                _ => Err(PriceError::NotANumber),
            }
        }
    }
}

/// Parses a price: "50 000", "50,000.50", "1.234,5", "50,5"; at most 2 decimals, 0 < price ≤ 9 999 999 999.99.
/// The result always has scale 2, like the NUMERIC(12,2) column it is stored in.
pub fn parse_price(input: &str) -> Result<BigDecimal, PriceError> {
    let s: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Err(PriceError::Empty);
    }
    if !s.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.') {
        return Err(PriceError::NotANumber);
    }
    let (int, frac) = split_number(&s)?;
    let int = int.trim_start_matches('0');
    if int.is_empty() && frac.bytes().all(|b| b == b'0') {
        return Err(PriceError::NotPositive);
    }
    if int.len() > 10 {
        return Err(PriceError::TooLarge);
    }
    let value = BigDecimal::from_str(&format!("0{int}.{frac:0<2}")).map_err(|_| PriceError::NotANumber)?;
    Ok(value.with_scale(2))
}

/// Formats money for people: thousands separated by a space, at most 2 decimals, no ".00":
/// 50000 → "50 000", 50000.5 → "50 000.50", 1234567.25 → "1 234 567.25".
pub fn format_amount(amount: &BigDecimal) -> String {
    let (cents, _) = amount.with_scale_round(2, RoundingMode::HalfUp).into_bigint_and_scale();
    let digits = cents.magnitude().to_string();
    let digits = format!("{digits:0>3}");
    let (int, frac) = digits.split_at(digits.len() - 2);
    let mut out = String::new();
    if cents.sign() == bigdecimal::num_bigint::Sign::Minus {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    if frac != "00" {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Why a card number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// Something other than digits, spaces and hyphens.
    #[error("the card number must contain only digits")]
    NotDigits,
    /// Neither 16 nor 19 digits.
    #[error("the card number must have 16 or 19 digits")]
    WrongLength,
    /// The Luhn check digit does not match.
    #[error("the card number has a typo (checksum mismatch)")]
    Checksum,
}

impl CardError {
    /// The Fluent key of the message shown to the owner.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::NotDigits => "card-error-not-digits",
            Self::WrongLength => "card-error-length",
            Self::Checksum => "card-error-checksum",
        }
    }
}

/// Digits of a payment card number: whitespace and hyphens are removed, then only ASCII digits are allowed,
/// 16 or 19 of them, Luhn-valid.
pub fn parse_card_number(input: &str) -> Result<String, CardError> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CardError::NotDigits);
    }
    if digits.len() != 16 && digits.len() != 19 {
        return Err(CardError::WrongLength);
    }
    if !luhn_valid(&digits) {
        return Err(CardError::Checksum);
    }
    Ok(digits)
}

/// Luhn checksum; false for an empty string or anything but ASCII digits.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 1 { 2 } else { 1 })
        .map(|d| d / 10 + d % 10)
        .sum();
    sum.is_multiple_of(10)
}

/// Groups of 4 separated by spaces: "8600123412341234" → "8600 1234 1234 1234".
pub fn format_card(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// First 4 and last 4 digits shown, the rest as •: "8600 •••• •••• 1234"; 19 digits: "8600 •••• •••• •••1 234".
pub fn mask_card(digits: &str) -> String {
    let len = digits.chars().count();
    let hidden = 4..len.saturating_sub(4);
    let masked: String = digits.chars().enumerate().map(|(i, c)| if hidden.contains(&i) { '•' } else { c }).collect();
    format_card(&masked)
}

/// Why a card holder's name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HolderError {
    /// Shorter than 2 or longer than 64 characters.
    #[error("the name must be 2 to 64 characters long")]
    Length,
    /// Digits or symbols, or fewer than 2 letters.
    #[error("the name may contain only letters, spaces, dots, hyphens and apostrophes")]
    Characters,
}

impl HolderError {
    /// The Fluent key of the message shown to the owner.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Length => "holder-error-length",
            Self::Characters => "holder-error-characters",
        }
    }
}

/// A card holder's name: trimmed, inner runs of whitespace collapsed to one space, 2–64 characters (chars, not
/// bytes), letters of any script (`char::is_alphabetic`, which includes Uzbek ʻ U+02BB) plus space, '.', '-',
/// '\'', '’' and '‘' (U+2018, the usual keyboard stand-in for ʻ); at least 2 letters.
pub fn parse_holder_name(input: &str) -> Result<String, HolderError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if !(2..=64).contains(&name.chars().count()) {
        return Err(HolderError::Length);
    }
    let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '\'' | '’' | '‘');
    if !name.chars().all(allowed) || name.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return Err(HolderError::Characters);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> BigDecimal {
        BigDecimal::from_str(s).unwrap()
    }

    #[test]
    fn prices_accepted() {
        for (want, inputs) in [
            ("50000", &["50000", "  50 000 ", "50\u{a0}000", "50,000", "50.000", "050000"][..]),
            ("1000000", &["1.000.000", "1,000,000", "1\u{202f}000\u{2009}000"]),
            ("50000.50", &["50,000.50", "50.000,5", "50 000,50"]),
            ("1234.5", &["1.234,5", "1,234.50", "1234,5"]),
            ("1234567.25", &["1,234,567.25", "1.234.567,25"]),
            ("50.5", &["50,5", "50.50"]),
            ("50.25", &["50.25", "50,25"]),
            ("0.01", &["0.01", "0,01", "00,01"]),
            ("9999999999.99", &["9999999999.99", "9,999,999,999.99", "9 999 999 999,99"]),
        ] {
            for input in inputs {
                let got = parse_price(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
                assert_eq!(got, dec(want), "{input:?}");
                assert_eq!(got.fractional_digit_count(), 2, "{input:?}");
            }
        }
    }

    #[test]
    fn prices_refused() {
        use PriceError::*;
        let long = "9".repeat(10_000);
        for (want, inputs) in [
            (Empty, &["", " \u{a0}\t\u{202f} "][..]),
            (NotANumber, &["abc", "-5", "+5", "1e5", "٥٠", ".5", "5.", ",", "1,,000", "1,00,000", "5,0000.5"]),
            (NotANumber, &["1.000,000.5", "1,000.5,5", "1,000.", ",000.5", "1.234.5678", "0,500.5", "5$"]),
            (TooManyDecimals, &["1.2345", "1,234.567", "1234.567", "0.500", "0.001", "50,12345"]),
            (NotPositive, &["0", "0.00", "000,0", "0 000"]),
            (TooLarge, &["10000000000", "10,000,000,000", "10000000000.00", "99999999999999999999999999", &long]),
        ] {
            for input in inputs {
                assert_eq!(parse_price(input), Err(want), "{input:?}");
            }
        }
    }

    #[test]
    fn price_error_keys() {
        use PriceError::*;
        let keys = [Empty, NotANumber, TooManyDecimals, NotPositive, TooLarge].map(PriceError::message_key);
        let want = [
            "price-error-empty",
            "price-error-not-a-number",
            "price-error-decimals",
            "price-error-not-positive",
            "price-error-too-large",
        ];
        assert_eq!(keys, want);
        assert_eq!(PriceError::TooLarge.to_string(), "the price is too large");
    }

    #[test]
    fn amounts_formatted() {
        let values = ["50000", "50000.5", "1234567.25", "999", "1000", "0", "0.05", "12.345", "5E+4", "-1500.5"];
        let got: Vec<String> = values.iter().map(|v| format_amount(&dec(v))).collect();
        let want = ["50 000", "50 000.50", "1 234 567.25", "999", "1 000", "0", "0.05", "12.35", "50 000", "-1 500.50"];
        assert_eq!(got, want);
        assert_eq!(format_amount(&dec("9999999999.99")), "9 999 999 999.99");
        assert_eq!(format_amount(&parse_price("50 000,5").unwrap()), "50 000.50");
    }

    #[test]
    fn luhn() {
        for ok in ["4111111111111111", "5555555555554444", "8600123412341239", "9860123456789015", "0"] {
            assert!(luhn_valid(ok), "{ok}");
        }
        for bad in ["4111111111111112", "8600123412341234", "", "4111 1111 1111 1111", "١"] {
            assert!(!luhn_valid(bad), "{bad}");
        }
    }

    #[test]
    fn cards_parsed() {
        assert_eq!(parse_card_number("8600 1234 1234 1239").unwrap(), "8600123412341239");
        assert_eq!(parse_card_number(" 9860-1234-5678-9015 ").unwrap(), "9860123456789015");
        assert_eq!(parse_card_number("4111111111111111").unwrap(), "4111111111111111");
        assert_eq!(parse_card_number("6260 0000 0000 0000 004").unwrap(), "6260000000000000004");
        assert_eq!(parse_card_number(""), Err(CardError::NotDigits));
        assert_eq!(parse_card_number(" - "), Err(CardError::NotDigits));
        assert_eq!(parse_card_number("8600 1234 1234 123a"), Err(CardError::NotDigits));
        assert_eq!(parse_card_number("８６００123412341239"), Err(CardError::NotDigits));
        assert_eq!(parse_card_number("411111111111111"), Err(CardError::WrongLength));
        assert_eq!(parse_card_number("41111111111111110"), Err(CardError::WrongLength));
        assert_eq!(parse_card_number("41111111111111111111"), Err(CardError::WrongLength));
        assert_eq!(parse_card_number("8600 1234 1234 1234"), Err(CardError::Checksum));
        assert_eq!(parse_card_number("6260000000000000005"), Err(CardError::Checksum));
        let keys = [CardError::NotDigits, CardError::WrongLength, CardError::Checksum].map(CardError::message_key);
        assert_eq!(keys, ["card-error-not-digits", "card-error-length", "card-error-checksum"]);
    }

    #[test]
    fn cards_formatted_and_masked() {
        assert_eq!(format_card("8600123412341234"), "8600 1234 1234 1234");
        assert_eq!(format_card("6260000000000000004"), "6260 0000 0000 0000 004");
        assert_eq!(format_card(""), "");
        assert_eq!(mask_card("8600123412341234"), "8600 •••• •••• 1234");
        assert_eq!(mask_card("6260123456789012345"), "6260 •••• •••• •••2 345");
        assert_eq!(mask_card("1234567"), "1234 567");
    }

    #[test]
    fn holder_names() {
        for name in ["Иван Петров", "Oʻtkir Xoʻjayev", "O‘tkir", "Gʼulom O'Neil", "Anna-Maria D’Arcy Jr.", "Li", "ИП"]
        {
            assert_eq!(parse_holder_name(name).as_deref(), Ok(name));
        }
        assert_eq!(parse_holder_name("  JOHN   SMITH ").as_deref(), Ok("JOHN SMITH"));
        assert_eq!(parse_holder_name("Ли\u{a0}\t Ю").as_deref(), Ok("Ли Ю"));
        assert_eq!(parse_holder_name(&"я".repeat(64)).map(|n| n.chars().count()), Ok(64));
        for input in ["", "  A  ", "Ю", "я".repeat(65).as_str()] {
            assert_eq!(parse_holder_name(input), Err(HolderError::Length), "{input:?}");
        }
        for input in ["John Smith 2", "John_Smith", "John@Smith", "Ivan, Petrov", "A.", "- .", "'’"] {
            assert_eq!(parse_holder_name(input), Err(HolderError::Characters), "{input:?}");
        }
        assert_eq!(HolderError::Length.message_key(), "holder-error-length");
        assert_eq!(HolderError::Characters.message_key(), "holder-error-characters");
    }
}
