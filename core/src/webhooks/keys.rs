//! Webhook public keys: HighLevel's published one, and the text forms a
//! host may configure (PEM, base64, hex).

use crate::{Error, Result};
use ed25519_dalek::VerifyingKey;

/// HighLevel's published Ed25519 webhook key (SPKI PEM), fact sheet §8.2.
pub const HIGHLEVEL_PUBLIC_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=
-----END PUBLIC KEY-----
";

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// Decodes standard base64 (RFC 4648 §4) strictly: canonical `=` padding,
/// no whitespace, zero trailing bits; `None` for anything else. Written here
/// rather than taken from the `base64` crate, whose general-purpose engine
/// was 4 KB of the npm package for two 64- and 44-byte values.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let pad = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    let body = &bytes[..bytes.len() - pad];
    if !matches!((body.len() % 4, pad), (0, 0) | (2, 2) | (3, 1)) {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in body {
        let sextet = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (acc == 0).then_some(out)
}

/// Parses an Ed25519 public key from SPKI PEM, base64 SPKI DER, base64 raw
/// key bytes, or 64 hex digits.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey> {
    let bad = |why: &str| Error::invalid_argument(format!("webhook public key: {why}"));
    let trimmed = text.trim();
    let bytes: Vec<u8> = if trimmed.len() == 64 && trimmed.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&trimmed[2 * i..2 * i + 2], 16))
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| bad("bad hex"))?
    } else {
        let body: String = trimmed
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .concat();
        decode_base64(body.trim()).ok_or_else(|| bad("not PEM, base64 or hex"))?
    };
    let raw: &[u8] = match bytes.len() {
        32 => &bytes,
        44 if bytes.starts_with(&ED25519_SPKI_PREFIX) => &bytes[12..],
        _ => {
            return Err(bad(
                "not an Ed25519 key (expected 32 raw bytes or an Ed25519 SPKI)",
            ));
        }
    };
    let arr: [u8; 32] = raw.try_into().map_err(|_| bad("wrong length"))?;
    VerifyingKey::from_bytes(&arr).map_err(|_| bad("not a valid curve point"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_as_the_base64_crate_does() {
        use base64::Engine;
        let reference = |t: &str| base64::engine::general_purpose::STANDARD.decode(t).ok();
        let mut cases: Vec<String> = [
            "",
            "=",
            "==",
            "A",
            "AA",
            "AA=",
            "AA==",
            "AB==",
            "AAA=",
            "AAB=",
            "AAAA",
            "AAAA====",
            "Zg==",
            "Zm8=",
            "Zm9v",
            "Zm9vYg==",
            "Zm9v\nYg==",
            " Zm9v",
            "Zm9v-_==",
            "Zm9v+/==",
            "Z===",
            "Zg=a",
            "=Zg=",
        ]
        .map(String::from)
        .to_vec();
        // Every 1..=3-byte value's encoding, and each with one character changed.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .";
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..=40 {
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 33) as u8
                })
                .collect();
            let good = base64::engine::general_purpose::STANDARD.encode(&data);
            for i in 0..good.len() {
                let mut bad = good.clone().into_bytes();
                bad[i] = alphabet[(seed as usize + i) % alphabet.len()];
                cases.push(String::from_utf8(bad).unwrap());
            }
            cases.push(good);
        }
        for t in &cases {
            assert_eq!(decode_base64(t), reference(t), "{t:?}");
        }
    }

    #[test]
    fn published_key_parses() {
        let key = parse_public_key(HIGHLEVEL_PUBLIC_KEY_PEM).unwrap();
        let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "8b61d1d6cacbe28d7c3bc0516bb815258ec6edbba96cddc7f40c09ac708388e8"
        );
        assert_eq!(parse_public_key(&hex).unwrap(), key);
    }
}
