//! OAuth credentials from a token file, and the file as the engine's token
//! store: every rotated token set is written there (a new file, then
//! renamed over the old) before it is used, so a killed process leaves the
//! old set or the new one, never half of either.
//!
//! The file holds one token set as the catalog's `OAuthTokens` JSON
//! (`accessToken`, `refreshToken`, `expiresAtMs`, `userType`, `locationId`,
//! `companyId`). An agency's file (`userType: Company`) gives agency
//! credentials for `--location-id`; the location tokens minted from it are
//! kept beside it, in `FILE.location`.

use contacts_core::engine::TokenStore;
use contacts_core::json::FromJson;
use contacts_core::{Credentials, Error, OAuthTokens, UserType};
use std::path::{Path, PathBuf};

/// The token file and its location sibling.
pub struct FileTokens {
    path: PathBuf,
}

impl FileTokens {
    /// Reads the credentials the file holds.
    ///
    /// Errors: InvalidArgument naming the file when it cannot be read or is
    /// not a token set, or an agency's file without `--location-id`.
    pub fn open(
        path: &Path,
        location_id: Option<&str>,
    ) -> Result<(FileTokens, Credentials), Error> {
        let tokens = read(path)?.ok_or_else(|| {
            Error::invalid_argument(format!("--tokens-file {}: no such file", path.display()))
        })?;
        let credentials = match tokens.user_type {
            UserType::Company => Credentials::Agency {
                location_id: location_id
                    .ok_or_else(|| {
                        Error::invalid_argument(
                            "an agency's token file needs --location-id (the location to mint tokens for)",
                        )
                    })?
                    .to_string(),
                tokens,
            },
            UserType::Location => Credentials::OAuth { tokens },
        };
        Ok((
            FileTokens {
                path: path.to_path_buf(),
            },
            credentials,
        ))
    }

    fn file_for(&self, user_type: UserType, own: UserType) -> PathBuf {
        if user_type == own {
            self.path.clone()
        } else {
            let mut p = self.path.clone().into_os_string();
            p.push(".location");
            PathBuf::from(p)
        }
    }

    fn own_type(&self) -> UserType {
        read(&self.path)
            .ok()
            .flatten()
            .map_or(UserType::Location, |t| t.user_type)
    }
}

fn read(path: &Path) -> Result<Option<OAuthTokens>, Error> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::invalid_argument(format!(
                "--tokens-file {}: {e}",
                path.display()
            )));
        }
    };
    let value: serde_json::Value = serde_json::from_slice(&text).map_err(|e| {
        Error::invalid_argument(format!("--tokens-file {}: not JSON: {e}", path.display()))
    })?;
    OAuthTokens::from_json("tokens", &value)
        .map(Some)
        .map_err(|e| Error::invalid_argument(format!("--tokens-file {}: {e}", path.display())))
}

impl TokenStore for FileTokens {
    fn save(&self, tokens: &OAuthTokens) -> Result<(), String> {
        let path = self.file_for(tokens.user_type, self.own_type());
        // A name of this process's own: processes of a fleet that share one
        // file each write theirs and rename it over (one fixed name let one
        // process rename another's away mid-save).
        static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut tmp = path.clone().into_os_string();
        tmp.push(format!(".{}-{n}.tmp", std::process::id()));
        let text = serde_json::to_vec_pretty(tokens).map_err(|e| e.to_string())?;
        std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn load(&self, user_type: UserType) -> Option<OAuthTokens> {
        read(&self.file_for(user_type, self.own_type()))
            .ok()
            .flatten()
    }
}
