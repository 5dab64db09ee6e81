//! The bundled host adapter: one SQLite table (rusqlite, SQLite compiled
//! in), which the CLI, the demo and the tests use as "the host system".
//!
//! The table needs an `id` column (INTEGER PRIMARY KEY, or text), an
//! `updated_at` column (Unix ms, set by whatever writes the row) and a
//! `deleted_at` column (Unix ms, or NULL; a soft delete sets it and moves
//! `updated_at`). Every other column is a field the template reads by its
//! name. Changes are read in `(updated_at, id)` order after the checkpoint
//! `[updated_at, id]` of the last row read.
//!
//! A table without `updated_at` and `deleted_at` can have them kept for it
//! instead ([`SqliteTable::install_triggers`], `contacts sync
//! --install-triggers`): a change-log table `libcontacts_changes_<table>`
//! holds each row's id, when it last changed and when it was deleted, kept
//! by triggers on insert, update and delete (stamped with SQLite's clock),
//! and the table is read joined with it. The app that owns the table
//! changes nothing in how it writes.

use super::host::{HostAdapter, HostChanges, HostRecord, HostWrite};
use crate::state::StoreFuture;
use crate::{Error, Result};
use rusqlite::types::{Value as Sql, ValueRef};
use rusqlite::{Connection, params_from_iter};
use serde_json::{Map, Value, json};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

const REQUIRED: [&str; 3] = ["id", "updated_at", "deleted_at"];

/// A SQLite table as a sync's host side.
///
/// Threads: one connection behind a mutex; each call is one statement or
/// one transaction on the caller's thread.
pub struct SqliteTable {
    conn: Mutex<Connection>,
    table: String,
    /// Every column but the three the sync owns, in table order.
    fields: Vec<String>,
    /// Whether `id` is an INTEGER PRIMARY KEY (SQLite assigns new ids).
    integer_ids: bool,
    /// The change-log table that keeps `updated_at` and `deleted_at` for a
    /// table without them.
    change_log: Option<String>,
}

/// The change-log table of `table`.
fn change_log_of(table: &str) -> String {
    format!("libcontacts_changes_{table}")
}

/// SQLite's clock in Unix ms, as the change triggers stamp rows.
const NOW_MS_SQL: &str = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

impl std::fmt::Debug for SqliteTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteTable")
            .field("table", &self.table)
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

fn db_error(what: &str, e: rusqlite::Error) -> Error {
    Error::invalid_argument(format!("the host table: {what}: {e}"))
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl SqliteTable {
    /// Opens table `table` in the database file `path`.
    ///
    /// Errors: InvalidArgument for a file that is not a database, a table
    /// that does not exist, or one without `id`, `updated_at` or
    /// `deleted_at` (naming the missing column).
    pub fn open(path: impl AsRef<Path>, table: &str) -> Result<SqliteTable> {
        let conn = Connection::open(path.as_ref()).map_err(|e| db_error("open", e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| db_error("open", e))?;
        let mut columns: Vec<(String, String, bool)> = Vec::new();
        {
            let mut stmt = conn
                .prepare(&format!("PRAGMA table_info({})", quote(table)))
                .map_err(|e| db_error("read its columns", e))?;
            let rows = stmt
                .query_map([], |row| {
                    Ok((
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, i64>(5)? > 0,
                    ))
                })
                .map_err(|e| db_error("read its columns", e))?;
            for row in rows {
                columns.push(row.map_err(|e| db_error("read its columns", e))?);
            }
        }
        if columns.is_empty() {
            return Err(Error::invalid_argument(format!(
                "the host table {table:?} does not exist in {}",
                path.as_ref().display()
            )));
        }
        let log = change_log_of(table);
        let logged = table_exists(&conn, &log)?;
        for needed in REQUIRED {
            let present = columns.iter().any(|(name, _, _)| name == needed);
            let kept_by_log = logged && needed != "id";
            if !(present || kept_by_log) {
                return Err(Error::invalid_argument(format!(
                    "the host table {table:?} has no {needed:?} column: a sync needs id, updated_at (Unix ms) and deleted_at, or, but for id, the change triggers (--install-triggers)"
                )));
            }
        }
        let integer_ids = columns
            .iter()
            .any(|(name, kind, pk)| name == "id" && *pk && kind.eq_ignore_ascii_case("INTEGER"));
        let has_own_stamps = columns.iter().any(|(n, _, _)| n == "updated_at");
        let fields = columns
            .into_iter()
            .map(|(name, _, _)| name)
            .filter(|name| !REQUIRED.contains(&name.as_str()))
            .collect();
        Ok(SqliteTable {
            conn: Mutex::new(conn),
            table: table.to_owned(),
            fields,
            integer_ids,
            change_log: (logged && !has_own_stamps).then_some(log),
        })
    }

    /// Keeps `updated_at` and `deleted_at` for table `table` of the
    /// database file `path`, which has an `id` column but not those: a
    /// change-log table and triggers on insert, update and delete (see the
    /// module docs). Every row there now is logged as changed. Running it
    /// again changes nothing.
    ///
    /// Errors: InvalidArgument for a file that is not a database, a table
    /// that does not exist or has no `id`, or one that has its own
    /// `updated_at` (it needs no triggers).
    pub fn install_triggers(path: impl AsRef<Path>, table: &str) -> Result<()> {
        let mut conn = Connection::open(path.as_ref()).map_err(|e| db_error("open", e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| db_error("open", e))?;
        let mut id_type = None;
        let mut own_stamps = false;
        {
            let mut stmt = conn
                .prepare(&format!("PRAGMA table_info({})", quote(table)))
                .map_err(|e| db_error("read its columns", e))?;
            let rows = stmt
                .query_map([], |row| {
                    Ok((row.get::<_, String>(1)?, row.get::<_, String>(2)?))
                })
                .map_err(|e| db_error("read its columns", e))?;
            for row in rows {
                let (name, kind) = row.map_err(|e| db_error("read its columns", e))?;
                match name.as_str() {
                    "id" => id_type = Some(kind),
                    "updated_at" => own_stamps = true,
                    _ => {}
                }
            }
        }
        let Some(id_type) = id_type else {
            return Err(Error::invalid_argument(format!(
                "the host table {table:?} does not exist or has no \"id\" column: the change triggers need one"
            )));
        };
        if own_stamps {
            return Err(Error::invalid_argument(format!(
                "the host table {table:?} has its own updated_at: it needs no change triggers"
            )));
        }
        let (t, log) = (quote(table), quote(&change_log_of(table)));
        let trigger = |event: &str| quote(&format!("libcontacts_{table}_{event}"));
        let id_type = if id_type.is_empty() {
            "TEXT".to_owned()
        } else {
            id_type
        };
        let script = format!(
            "CREATE TABLE IF NOT EXISTS {log} (id {id_type} PRIMARY KEY, updated_at INTEGER NOT NULL, deleted_at INTEGER);
             INSERT OR IGNORE INTO {log} (id, updated_at) SELECT id, {NOW_MS_SQL} FROM {t};
             CREATE TRIGGER IF NOT EXISTS {ins} AFTER INSERT ON {t} BEGIN
               INSERT OR REPLACE INTO {log} (id, updated_at, deleted_at) VALUES (NEW.id, {NOW_MS_SQL}, NULL);
             END;
             CREATE TRIGGER IF NOT EXISTS {upd} AFTER UPDATE ON {t} BEGIN
               UPDATE {log} SET updated_at = {NOW_MS_SQL}, deleted_at = {NOW_MS_SQL} WHERE id = OLD.id AND OLD.id IS NOT NEW.id;
               INSERT OR REPLACE INTO {log} (id, updated_at, deleted_at) VALUES (NEW.id, {NOW_MS_SQL}, NULL);
             END;
             CREATE TRIGGER IF NOT EXISTS {del} AFTER DELETE ON {t} BEGIN
               UPDATE {log} SET updated_at = {NOW_MS_SQL}, deleted_at = {NOW_MS_SQL} WHERE id = OLD.id;
             END;",
            ins = trigger("insert"),
            upd = trigger("update"),
            del = trigger("delete"),
        );
        let tx = conn
            .transaction()
            .map_err(|e| db_error("install the change triggers", e))?;
        tx.execute_batch(&script)
            .map_err(|e| db_error("install the change triggers", e))?;
        tx.commit()
            .map_err(|e| db_error("install the change triggers", e))
    }

    /// Refuses a table whose ids are numbers, for records written under
    /// ids HighLevel gives (appointments: a replayed write must land on
    /// the same record, so the record's id is the appointment's).
    ///
    /// Errors: InvalidArgument naming the table.
    pub fn require_text_ids(&self) -> Result<()> {
        if self.integer_ids {
            return Err(Error::invalid_argument(format!(
                "the host table {:?} has numeric ids; appointments are kept under HighLevel's ids, so its id column must be TEXT",
                self.table
            )));
        }
        Ok(())
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The rows with their stamps: the table's own, or its change log's
    /// joined (a deleted row's fields are then NULL). Key columns are
    /// qualified as `k.`.
    fn select(&self) -> String {
        let mut cols = vec![
            "k.id".to_owned(),
            "k.updated_at".into(),
            "k.deleted_at".into(),
        ];
        let table = quote(&self.table);
        match &self.change_log {
            None => {
                cols.extend(self.fields.iter().map(|f| format!("k.{}", quote(f))));
                format!("SELECT {} FROM {table} AS k", cols.join(", "))
            }
            Some(log) => {
                cols.extend(self.fields.iter().map(|f| format!("t.{}", quote(f))));
                format!(
                    "SELECT {} FROM {} AS k LEFT JOIN {table} AS t ON t.id = k.id",
                    cols.join(", "),
                    quote(log)
                )
            }
        }
    }

    fn record_of(&self, row: &rusqlite::Row<'_>) -> rusqlite::Result<(HostRecord, Sql)> {
        let id: Sql = row.get(0)?;
        let updated_ms: i64 = row.get::<_, Option<i64>>(1)?.unwrap_or_default();
        let deleted: Option<i64> = row.get(2)?;
        let mut fields = Map::new();
        if deleted.is_none() {
            for (i, name) in self.fields.iter().enumerate() {
                fields.insert(name.clone(), json_of(row.get_ref(3 + i)?));
            }
        }
        let text_id = match &id {
            Sql::Integer(n) => n.to_string(),
            Sql::Text(s) => s.clone(),
            Sql::Real(f) => f.to_string(),
            _ => String::new(),
        };
        Ok((
            HostRecord {
                id: text_id,
                updated_ms,
                deleted: deleted.is_some(),
                fields,
            },
            id,
        ))
    }

    fn changes_now(&self, since: Option<&str>, limit: usize) -> Result<HostChanges> {
        let (after_ms, after_id) = match since {
            None => (i64::MIN, Sql::Null),
            Some(text) => {
                let v: Value = serde_json::from_str(text).map_err(|_| {
                    Error::invalid_argument(format!(
                        "the host table's checkpoint {text:?} is not [updated_at, id]"
                    ))
                })?;
                let ms = v[0].as_i64().ok_or_else(|| {
                    Error::invalid_argument(format!(
                        "the host table's checkpoint {text:?} is not [updated_at, id]"
                    ))
                })?;
                let id = match &v[1] {
                    Value::Number(n) => Sql::Integer(n.as_i64().unwrap_or_default()),
                    Value::String(s) => Sql::Text(s.clone()),
                    _ => Sql::Null,
                };
                (ms, id)
            }
        };
        let sql = format!(
            "{} WHERE k.updated_at > ?1 OR (k.updated_at = ?1 AND k.id > ?2) ORDER BY k.updated_at, k.id LIMIT ?3",
            self.select()
        );
        let conn = self.conn();
        let mut stmt = conn
            .prepare_cached(&sql)
            .map_err(|e| db_error("read changes", e))?;
        let rows = stmt
            .query_map(rusqlite::params![after_ms, after_id, limit as i64], |row| {
                self.record_of(row)
            })
            .map_err(|e| db_error("read changes", e))?;
        let mut records = Vec::new();
        let mut last: Option<(i64, Sql)> = None;
        for row in rows {
            let (record, id) = row.map_err(|e| db_error("read changes", e))?;
            last = Some((record.updated_ms, id));
            records.push(record);
        }
        let checkpoint = match last {
            Some((ms, Sql::Integer(id))) => Some(json!([ms, id]).to_string()),
            Some((ms, Sql::Text(id))) => Some(json!([ms, id]).to_string()),
            Some((ms, _)) => Some(json!([ms, null]).to_string()),
            None => since.map(str::to_owned),
        };
        Ok(HostChanges {
            more: records.len() >= limit,
            records,
            checkpoint,
            rejected: Vec::new(),
        })
    }

    fn upsert_now(&self, write: HostWrite<'_>) -> Result<HostRecord> {
        for name in write.fields.keys() {
            if !self.fields.contains(name) {
                return Err(Error::invalid_argument(format!(
                    "the host table {:?} has no column {name:?}, which the mapping template writes",
                    self.table
                )));
            }
        }
        let conn = self.conn();
        let names: Vec<&String> = write.fields.keys().collect();
        let mut values: Vec<Sql> = write.fields.values().map(sql_of).collect();
        let id: Sql = match write.id {
            Some(id) if self.integer_ids => Sql::Integer(id.parse().map_err(|_| {
                Error::invalid_argument(format!("the host table's ids are numbers, not {id:?}"))
            })?),
            Some(id) => Sql::Text(id.to_owned()),
            None if self.integer_ids => Sql::Null,
            None => Sql::Text(write.key.to_owned()),
        };
        let mut columns: Vec<String> = names.iter().map(|n| quote(n)).collect();
        // A logged table is stamped by its triggers.
        if self.change_log.is_none() {
            values.push(Sql::Integer(write.now_ms as i64));
            columns.push("updated_at".into());
        }
        let sets: Vec<String> = columns
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        let (sql, binds) = if id == Sql::Null {
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            (
                format!(
                    "INSERT INTO {} ({}) VALUES ({}) RETURNING id",
                    quote(&self.table),
                    columns.join(", "),
                    marks.join(", ")
                ),
                values,
            )
        } else {
            let mut all = vec![id];
            all.extend(values);
            let marks: Vec<String> = (1..=all.len()).map(|i| format!("?{i}")).collect();
            (
                format!(
                    "INSERT INTO {} (id, {}) VALUES ({}) ON CONFLICT(id) DO UPDATE SET {}{} RETURNING id",
                    quote(&self.table),
                    columns.join(", "),
                    marks.join(", "),
                    sets.join(", "),
                    if self.change_log.is_none() {
                        ", deleted_at = NULL"
                    } else {
                        ""
                    }
                ),
                all,
            )
        };
        let written: Sql = conn
            .query_row(&sql, params_from_iter(binds.iter()), |row| row.get(0))
            .map_err(|e| db_error("write a record", e))?;
        let sql = format!("{} WHERE k.id = ?1", self.select());
        conn.query_row(&sql, [written], |row| self.record_of(row))
            .map(|(record, _)| record)
            .map_err(|e| db_error("read a written record", e))
    }

    fn delete_now(&self, id: &str) -> Result<()> {
        let id: Sql = if self.integer_ids {
            match id.parse() {
                Ok(n) => Sql::Integer(n),
                Err(_) => return Ok(()),
            }
        } else {
            Sql::Text(id.to_owned())
        };
        self.conn()
            .execute(
                &format!("DELETE FROM {} WHERE id = ?1", quote(&self.table)),
                [id],
            )
            .map_err(|e| db_error("delete a record", e))?;
        Ok(())
    }
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |row| row.get::<_, i64>(0),
    )
    .map(|n| n > 0)
    .map_err(|e| db_error("read its schema", e))
}

fn json_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => json!(n),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
    }
}

fn sql_of(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Sql::Integer(i),
            None => Sql::Real(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}

impl HostAdapter for SqliteTable {
    fn changes<'a>(&'a self, since: Option<&'a str>, limit: usize) -> StoreFuture<'a, HostChanges> {
        Box::pin(async move { self.changes_now(since, limit) })
    }

    fn upsert<'a>(&'a self, write: HostWrite<'a>) -> StoreFuture<'a, HostRecord> {
        Box::pin(async move { self.upsert_now(write) })
    }

    fn delete<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move { self.delete_now(id) })
    }
}
