//! Bot tokens: a redacting holder for plaintext tokens and the Fernet vault that
//! encrypts them at rest, with key rotation (first key encrypts, every key decrypts).

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A plaintext bot token. It never prints itself: `Debug` and `Display` show only the bot id.
#[derive(Clone, PartialEq, Eq)]
pub struct BotToken(String);

/// Why a text is not a bot token.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenFormatError {
    /// Not `<digits>:<30+ url-safe characters>`.
    #[error("does not look like a bot token (<digits>:<secret>)")]
    Malformed,
}

impl BotToken {
    /// Checks the shape `<bot id>:<secret>` and wraps the token.
    pub fn parse(raw: &str) -> Result<Self, TokenFormatError> {
        let raw = raw.trim();
        let (id, secret) = raw.split_once(':').ok_or(TokenFormatError::Malformed)?;
        let id_ok = !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit());
        let secret_ok = (30..=64).contains(&secret.len())
            && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if id_ok && secret_ok && id.parse::<i64>().is_ok() {
            Ok(Self(raw.to_owned()))
        } else {
            Err(TokenFormatError::Malformed)
        }
    }

    /// The bot's Telegram id: the number before the colon.
    pub fn bot_id(&self) -> i64 {
        self.0.split(':').next().and_then(|id| id.parse().ok()).unwrap_or_default()
    }

    /// The secret text, for the Telegram client only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BotToken({}:[redacted])", self.bot_id())
    }
}

impl fmt::Display for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:[redacted]", self.bot_id())
    }
}

/// Errors of the vault.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// `ENCRYPTION_KEY` holds no key or a key that is not a Fernet key.
    #[error("key #{0} is not a Fernet key (32 bytes, url-safe base64)")]
    BadKey(usize),
    /// No key decrypts the stored value (wrong key, or tampered data).
    #[error("stored token cannot be decrypted with any configured key")]
    Undecryptable,
    /// The decrypted value is not a token.
    #[error("stored token is corrupt")]
    Corrupt,
}

/// Fernet encryption of tokens at rest, with rotation.
#[derive(Clone)]
pub struct TokenVault {
    fernet: std::sync::Arc<fernet::MultiFernet>,
    signing_key: std::sync::Arc<Vec<u8>>,
}

impl fmt::Debug for TokenVault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenVault([redacted])")
    }
}

impl TokenVault {
    /// Builds the vault from comma-separated Fernet keys; the first one encrypts.
    pub fn from_keys(keys: &str) -> Result<Self, VaultError> {
        let keys: Vec<&str> = keys.split(',').map(str::trim).filter(|k| !k.is_empty()).collect();
        if keys.is_empty() {
            return Err(VaultError::BadKey(1));
        }
        let fernets = keys
            .iter()
            .enumerate()
            .map(|(i, k)| fernet::Fernet::new(k).ok_or(VaultError::BadKey(i + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            fernet: std::sync::Arc::new(fernet::MultiFernet::new(fernets)),
            signing_key: std::sync::Arc::new(keys[0].as_bytes().to_vec()),
        })
    }

    /// Encrypts a token with the newest key.
    pub fn encrypt(&self, token: &BotToken) -> String {
        self.fernet.encrypt(token.expose().as_bytes())
    }

    /// Decrypts a stored token with whichever configured key made it.
    pub fn decrypt(&self, stored: &str) -> Result<BotToken, VaultError> {
        let bytes = self.fernet.decrypt(stored).map_err(|_| VaultError::Undecryptable)?;
        let text = String::from_utf8(bytes).map_err(|_| VaultError::Corrupt)?;
        BotToken::parse(&text).map_err(|_| VaultError::Corrupt)
    }

    /// Encrypts a payment key (or any other secret) with the newest key, as tokens are.
    pub fn encrypt_secret(&self, secret: &str) -> String {
        self.fernet.encrypt(secret.as_bytes())
    }

    /// Decrypts a secret stored by [`encrypt_secret`](Self::encrypt_secret), with whichever
    /// configured key made it.
    pub fn decrypt_secret(&self, stored: &str) -> Result<String, VaultError> {
        let bytes = self.fernet.decrypt(stored).map_err(|_| VaultError::Undecryptable)?;
        String::from_utf8(bytes).map_err(|_| VaultError::Corrupt)
    }

    /// A stable secret derived from the newest key (e.g. the main bot's webhook secret, the
    /// same on every node): hex HMAC-SHA256 of `purpose`.
    pub fn derive_secret(&self, purpose: &str) -> String {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.signing_key) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A fresh random webhook secret: 48 characters of `A-Za-z0-9`.
pub fn random_webhook_secret() -> String {
    use rand::{distr::Alphanumeric, Rng};
    rand::rng().sample_iter(&Alphanumeric).take(48).map(char::from).collect()
}

/// Compares two secrets in constant time (for equal lengths).
pub fn secrets_match(expected: &str, given: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    expected.len() == given.len() && bool::from(expected.as_bytes().ct_eq(given))
}

/// Replaces anything shaped like a bot token in `text` with a redaction marker, for error
/// texts coming from libraries (a URL in a network error can carry the token).
pub fn redact_tokens(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = token_at(bytes, i) {
            out.push_str("[redacted-token]");
            i = end;
        } else {
            let ch_len = text[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&text[i..i + ch_len]);
            i += ch_len;
        }
    }
    out
}

fn token_at(bytes: &[u8], start: usize) -> Option<usize> {
    if start > 0 && bytes[start - 1].is_ascii_digit() {
        return None;
    }
    let digits = bytes[start..].iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || bytes.get(start + digits) != Some(&b':') {
        return None;
    }
    let secret_start = start + digits + 1;
    let secret =
        bytes[secret_start..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-').count();
    (secret >= 30).then_some(secret_start + secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";

    #[test]
    fn tokens_never_print() {
        let token = BotToken::parse(TOKEN).unwrap();
        assert_eq!(format!("{token:?}"), "BotToken(123456789:[redacted])");
        assert_eq!(token.to_string(), "123456789:[redacted]");
        assert_eq!(token.bot_id(), 123_456_789);
    }

    #[test]
    fn malformed_tokens_are_refused() {
        for bad in [
            "",
            "abc",
            "123:short",
            "abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1",
            "1:AAHdq TcvCH1vGWJxfSeofSAs0K5PALDsaw1",
        ] {
            assert!(BotToken::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rotation_old_key_still_decrypts_and_new_key_encrypts() {
        let (old, new) = (fernet::Fernet::generate_key(), fernet::Fernet::generate_key());
        let token = BotToken::parse(TOKEN).unwrap();
        let stored_with_old = TokenVault::from_keys(&old).unwrap().encrypt(&token);
        let rotated = TokenVault::from_keys(&format!("{new},{old}")).unwrap();
        assert_eq!(rotated.decrypt(&stored_with_old).unwrap(), token);
        let stored_with_new = rotated.encrypt(&token);
        assert!(TokenVault::from_keys(&new).unwrap().decrypt(&stored_with_new).is_ok());
        assert!(matches!(
            TokenVault::from_keys(&old).unwrap().decrypt(&stored_with_new),
            Err(VaultError::Undecryptable)
        ));
        assert!(!stored_with_new.contains("AAHdq"));
    }

    #[test]
    fn bad_keys_are_refused_by_position() {
        let good = fernet::Fernet::generate_key();
        assert!(matches!(TokenVault::from_keys(&format!("{good},nope")), Err(VaultError::BadKey(2))));
        assert!(matches!(TokenVault::from_keys(" , "), Err(VaultError::BadKey(1))));
    }

    #[test]
    fn secrets_compare() {
        assert!(secrets_match("abc", b"abc"));
        assert!(!secrets_match("abc", b"abd"));
        assert!(!secrets_match("abc", b"ab"));
        assert_eq!(random_webhook_secret().len(), 48);
    }

    #[test]
    fn tokens_are_redacted_from_library_errors() {
        let text = format!("error sending request for url (http://x/bot{TOKEN}/SendMessage)");
        assert_eq!(redact_tokens(&text), "error sending request for url (http://x/bot[redacted-token]/SendMessage)");
        assert_eq!(redact_tokens("chat 12:30 ok — привет"), "chat 12:30 ok — привет");
    }
}
