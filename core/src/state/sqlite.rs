//! The SQLite state store: one file, every write its own transaction, so a
//! process killed at any moment leaves each entry as it was before or after
//! the write, never between.

use super::{
    BlockingStore, Budget, Take, Versioned, check_budget, check_key, expiry, state_error,
    take_from_window,
};
use crate::Result;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The layout this code reads and writes. A file with a larger number was
/// written by a newer libcontacts and is refused rather than misread.
const SCHEMA_VERSION: i64 = 1;

/// How long a write waits for another process's transaction on the same
/// file before failing with [`crate::ErrorCode::State`].
const BUSY_TIMEOUT_MS: u64 = 5_000;

/// A [`StateStore`] in one SQLite file (rusqlite, SQLite compiled in).
///
/// Several processes may share a file: each write is an immediate
/// transaction, so compare-and-set and budget takes are atomic across
/// them. The file is in WAL mode with full sync: a write that returned has
/// survived a crash of the process (and of the machine).
///
/// Threads: operations hold one connection behind a mutex and run on the
/// caller's thread; each is a local file transaction (well under a
/// millisecond warm), short enough not to be moved off an async runtime.
pub struct SqliteStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if missing) the store in file `path`.
    ///
    /// Errors: [`crate::ErrorCode::State`] for a file that is not a SQLite
    /// database, one written by a newer libcontacts, or one that cannot be opened for writing.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore> {
        let path = path.as_ref().to_path_buf();
        let fail = |e: rusqlite::Error| unreadable(&path, e);
        let conn = Connection::open(&path).map_err(fail)?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))
            .map_err(fail)?;
        // The first statement is the first read of the file: a file that is
        // not a database fails here.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(fail)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(fail)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS libcontacts_meta (
                 name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
             INSERT OR IGNORE INTO libcontacts_meta VALUES ('schema', 1), ('last_version', 0);
             CREATE TABLE IF NOT EXISTS libcontacts_entries (
                 key TEXT PRIMARY KEY, value TEXT NOT NULL,
                 version INTEGER NOT NULL, expires_at_ms INTEGER) WITHOUT ROWID;
             CREATE TABLE IF NOT EXISTS libcontacts_budgets (
                 key TEXT PRIMARY KEY, window_start_ms INTEGER NOT NULL,
                 used INTEGER NOT NULL) WITHOUT ROWID;",
        )
        .map_err(fail)?;
        let schema: i64 = conn
            .query_row(
                "SELECT value FROM libcontacts_meta WHERE name = 'schema'",
                [],
                |row| row.get(0),
            )
            .map_err(fail)?;
        if schema > SCHEMA_VERSION {
            return Err(state_error(format!(
                "state file {} has layout {schema}, written by a newer libcontacts (this one reads {SCHEMA_VERSION})",
                path.display()
            )));
        }
        Ok(SqliteStore {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// The file this store is in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic mid-statement leaves SQLite's own transaction to roll
        // back; the connection itself stays usable.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn fail(&self, e: rusqlite::Error) -> crate::Error {
        unreadable(&self.path, e)
    }

    /// Runs `f` in one immediate transaction (the write lock taken first, so
    /// its reads and writes are atomic across processes), committing if it
    /// returns `Ok`.
    fn write<T>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.fail(e))?;
        let out = f(&tx).map_err(|e| self.fail(e))?;
        tx.commit().map_err(|e| self.fail(e))?;
        Ok(out)
    }
}

impl BlockingStore for SqliteStore {
    fn get_now(&self, key: &str, now_ms: u64) -> Result<Option<Versioned>> {
        check_key(key)?;
        let conn = self.lock();
        read_live(&conn, key, now_ms)
            .map_err(|e| self.fail(e))?
            .map(|(text, version)| versioned(key, &text, version))
            .transpose()
    }

    fn put_now(&self, key: &str, value: &Value, ttl_ms: Option<u64>, now_ms: u64) -> Result<u64> {
        check_key(key)?;
        let text = value.to_string();
        self.write(|tx| upsert(tx, key, &text, expiry(now_ms, ttl_ms)))
    }

    fn put_many_now(&self, entries: &[(String, Value)], _now_ms: u64) -> Result<()> {
        for (key, _) in entries {
            check_key(key)?;
        }
        self.write(|tx| {
            for (key, value) in entries {
                upsert(tx, key, &value.to_string(), None)?;
            }
            Ok(())
        })
    }

    fn compare_and_set_now(
        &self,
        key: &str,
        expected: Option<u64>,
        value: &Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> Result<Option<u64>> {
        check_key(key)?;
        let text = value.to_string();
        self.write(|tx| {
            let current = read_live(tx, key, now_ms)?.map(|(_, version)| version);
            if current != expected {
                return Ok(None);
            }
            upsert(tx, key, &text, expiry(now_ms, ttl_ms)).map(Some)
        })
    }

    fn delete_now(&self, key: &str, now_ms: u64) -> Result<bool> {
        check_key(key)?;
        self.write(|tx| {
            let was_live = read_live(tx, key, now_ms)?.is_some();
            tx.execute("DELETE FROM libcontacts_entries WHERE key = ?1", [key])?;
            Ok(was_live)
        })
    }

    fn list_now(
        &self,
        prefix: &str,
        limit: usize,
        now_ms: u64,
    ) -> Result<Vec<(String, Versioned)>> {
        self.list_after_now(prefix, "", limit, now_ms)
    }

    fn delete_prefix_now(&self, prefix: &str, _now_ms: u64) -> Result<()> {
        check_key(prefix)?;
        let end = format!("{prefix}\u{10FFFF}");
        self.write(|tx| {
            tx.execute(
                "DELETE FROM libcontacts_entries WHERE key >= ?1 AND key < ?2",
                params![prefix, end],
            )?;
            Ok(())
        })
    }

    fn list_after_now(
        &self,
        prefix: &str,
        after: &str,
        limit: usize,
        now_ms: u64,
    ) -> Result<Vec<(String, Versioned)>> {
        let conn = self.lock();
        // Keys sort bytewise (BINARY), so the prefix's range is
        // [prefix, prefix + U+10FFFF): an index range, no LIKE escaping.
        let end = format!("{prefix}\u{10FFFF}");
        let rows = (|| {
            let mut stmt = conn.prepare_cached(
                "SELECT key, value, version FROM libcontacts_entries
                 WHERE key >= ?1 AND key < ?2 AND key > ?5
                   AND (expires_at_ms IS NULL OR expires_at_ms > ?3)
                 ORDER BY key LIMIT ?4",
            )?;
            let rows = stmt.query_map(
                params![
                    prefix,
                    end,
                    to_sql(now_ms),
                    limit.min(i64::MAX as usize) as i64,
                    after
                ],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, i64>(2)?,
                    ))
                },
            )?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })()
        .map_err(|e| self.fail(e))?;
        rows.into_iter()
            .filter(|(key, _, _)| key.starts_with(prefix))
            .map(|(key, text, version)| {
                let entry = versioned(&key, &text, from_sql(version))?;
                Ok((key, entry))
            })
            .collect()
    }

    fn take_now(&self, key: &str, units: u64, budget: Budget, now_ms: u64) -> Result<Take> {
        check_key(key)?;
        check_budget(budget)?;
        self.write(|tx| {
            let held = tx
                .query_row(
                    "SELECT window_start_ms, used FROM libcontacts_budgets WHERE key = ?1",
                    [key],
                    |row| Ok((from_sql(row.get(0)?), from_sql(row.get(1)?))),
                )
                .optional()?;
            let ((start, used), take) = take_from_window(held, units, budget, now_ms);
            tx.execute(
                "INSERT INTO libcontacts_budgets VALUES (?1, ?2, ?3)
                 ON CONFLICT(key) DO UPDATE SET window_start_ms = ?2, used = ?3",
                params![key, to_sql(start), to_sql(used)],
            )?;
            Ok(take)
        })
    }
}

fn unreadable(path: &Path, e: rusqlite::Error) -> crate::Error {
    state_error(format!("state file {} cannot be used: {e}", path.display()))
}

/// SQLite integers are signed; times and counts here are far below 2^63.
fn to_sql(n: u64) -> i64 {
    n.min(i64::MAX as u64) as i64
}

fn from_sql(n: i64) -> u64 {
    n.max(0) as u64
}

fn read_live(conn: &Connection, key: &str, now_ms: u64) -> rusqlite::Result<Option<(String, u64)>> {
    conn.prepare_cached(
        "SELECT value, version FROM libcontacts_entries
         WHERE key = ?1 AND (expires_at_ms IS NULL OR expires_at_ms > ?2)",
    )?
    .query_row(params![key, to_sql(now_ms)], |row| {
        Ok((row.get(0)?, from_sql(row.get(1)?)))
    })
    .optional()
}

/// Writes `key` with the next version of the file's one sequence.
fn upsert(
    tx: &rusqlite::Transaction<'_>,
    key: &str,
    text: &str,
    expires_at_ms: Option<u64>,
) -> rusqlite::Result<u64> {
    let version: i64 = tx.query_row(
        "UPDATE libcontacts_meta SET value = value + 1 WHERE name = 'last_version' RETURNING value",
        [],
        |row| row.get(0),
    )?;
    tx.execute(
        "INSERT INTO libcontacts_entries VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(key) DO UPDATE SET value = ?2, version = ?3, expires_at_ms = ?4",
        params![key, text, version, expires_at_ms.map(to_sql)],
    )?;
    Ok(from_sql(version))
}

fn versioned(key: &str, text: &str, version: u64) -> Result<Versioned> {
    let value = serde_json::from_str(text)
        .map_err(|e| state_error(format!("state entry {key:?} is not JSON: {e}")))?;
    Ok(Versioned { value, version })
}
