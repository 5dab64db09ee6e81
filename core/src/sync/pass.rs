//! One sync pass: read what changed on both sides, pair the records, merge
//! each pair field by field, write what differs, commit each pair's link.
//! Its memory is flat in the number of records: what it reads waits in
//! the store's scratch space (`scratch.rs`), not in memory.
//!
//! The order of a pass, and why it survives a crash anywhere:
//! 1. The host's changes since its checkpoint go to the scratch space, a
//!    page per commit, with the email and E.164 phone of each unlinked one.
//!    Neither checkpoint moves until the pass ends, so a rerun reads the
//!    same changes again (and clears the scratch space first).
//! 2. HighLevel's contacts changed since the newest `dateUpdated` seen less
//!    the overlap (every contact on the first pass and on a delete scan),
//!    through search pages, each handled as its page comes: merged with
//!    its linked host record, or matched to an unlinked one by email and
//!    then by phone, or created in the host. Matching comes before any
//!    create in HighLevel, which waits for step 3.
//! 3. The host records no contact took: merged with their contact as last
//!    synced, or created in HighLevel. On a delete scan, step 4 then takes
//!    each linked contact nothing handled; one `contacts.get` tells a
//!    contact deleted from one changed since the walk.
//! 5. Each pair's writes, then its link (both sides' values now) in one
//!    store write; a pair that wrote nothing is committed with its page. A
//!    pair written but not committed is read again by the rerun; each
//!    side's value then equals the other's, so it is kept.
//! 6. A HighLevel create is an upsert keyed on email or phone, journaled
//!    first: a replay finds the contact it made, whether or not search has
//!    caught up. A host create carries the contact's id (`HostWrite::key`),
//!    and the rerun's matching links the record the host made.

use super::appointments::{AppointmentHost, AppointmentsStage};
use super::host::{ChangeWalk, HostAdapter, HostRecord, HostWrite, check_host_id};
use super::lease::Lease;
use super::merge::{Clocks, Decision, FieldSides, decide, same};
use super::notes::{NoteHost, NotesStage};
use super::report::{ItemKind, ReportItem, SyncReport};
use super::scratch::Scratch;
use super::settings::{DeletePolicy, RecordFields, SyncSettings};
use super::state::{self, DeletedOn, Keys, Link, Meta};
use crate::driver::{Driver, Transport};
use crate::mapping::{FieldError, MapContext, Mapper, PhoneNumbers, TargetKind};
use crate::maybe_send::MaybeSync;
use crate::state::BoundStore;
use crate::triggers::search::{contacts_page, search_after, updated_ms};
use crate::{Error, ErrorCode, Result};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashSet};

/// Where a pass is, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// `host` (reading its changes), `highlevel` (reading contacts and
    /// handling each: merged, matched, created in the host), then
    /// `records` (the host records no contact took: merged or created in
    /// HighLevel; its last call has `done` equal to `total`).
    pub phase: &'static str,
    /// Done so far in this phase.
    pub done: u64,
    /// The phase's total, when known: `highlevel` as HighLevel's search
    /// counts the contacts to read, `records` as the host's changes do.
    pub total: Option<u64>,
}

/// HighLevel's side of a pair in this pass.
enum Remote {
    /// Read in this pass.
    Read(Value),
    /// Not read: unchanged since the pair's link (its base holds its values).
    Unchanged,
    /// Gone: the delete scan did not find it, or a write found it deleted.
    Deleted,
}

struct Pair {
    host_id: String,
    link: Link,
    host: Option<HostRecord>,
    remote: Remote,
}

/// The host's adapters a pass syncs: its contacts, and optionally its
/// notes and its appointments.
#[derive(Clone, Copy)]
pub struct SyncHosts<'a> {
    /// The host's contact records, through the mapping template.
    pub contacts: &'a dyn HostAdapter,
    /// The host's notes, both ways (`notes.rs`).
    pub notes: Option<NoteHost<'a>>,
    /// The host's appointments, from HighLevel only (`appointments.rs`).
    pub appointments: Option<AppointmentHost<'a>>,
}

impl<'a> SyncHosts<'a> {
    /// Contacts only.
    pub fn contacts(contacts: &'a dyn HostAdapter) -> SyncHosts<'a> {
        SyncHosts {
            contacts,
            notes: None,
            appointments: None,
        }
    }

    /// `contacts`, and `notes` and `appointments` when given, their
    /// records read through `fields`: how a shell that has the adapters
    /// and the fields' JSON puts a pass together.
    pub fn with_fields(
        contacts: &'a dyn HostAdapter,
        notes: Option<&'a dyn HostAdapter>,
        appointments: Option<&'a dyn HostAdapter>,
        fields: &'a RecordFields,
    ) -> SyncHosts<'a> {
        SyncHosts {
            contacts,
            notes: notes.map(|adapter| NoteHost {
                adapter,
                contact_field: &fields.note_contact,
                body_field: &fields.note_body,
            }),
            appointments: appointments.map(|adapter| AppointmentHost {
                adapter,
                contact_field: &fields.appointment_contact,
            }),
        }
    }
}

/// Runs one pass of the sync `settings.name` between `hosts` and the
/// driver's location, mapping with `mapper` (a two-way contact template);
/// phones through `phones`. `progress` is called as the pass goes.
///
/// Errors: InvalidArgument for a one-way or non-contact template or a
/// policy naming a field the template does not have; State when the driver
/// has no store, or the sync's state is another template's or corrupt; the
/// first failing host call or HighLevel read (the state then stays where
/// the last committed pair left it, and a rerun goes on). A record that
/// cannot be synced is not an error: the report says why.
pub async fn run_pass<T: Transport, P: Fn(&Progress) + MaybeSync>(
    driver: &Driver<T>,
    mapper: &Mapper,
    hosts: SyncHosts<'_>,
    settings: &SyncSettings,
    phones: Option<&dyn PhoneNumbers>,
    progress: P,
) -> Result<SyncReport> {
    let template = mapper.template();
    if template.target() != TargetKind::Contact || !template.is_two_way() {
        return Err(Error::invalid_argument(format!(
            "a sync needs a two-way contact template (\"target\": \"contact\", \"direction\": \"both\"); {:?} is not",
            template.name()
        )));
    }
    let labels: Vec<String> = (0..mapper.field_count())
        .map(|i| mapper.field_label(i))
        .collect();
    if let Some(unknown) = settings.fields.keys().find(|k| !labels.contains(k)) {
        return Err(Error::invalid_argument(format!(
            "sync settings: fields[{unknown:?}]: the template has no such field (its fields: {})",
            labels.join(", ")
        )));
    }
    let location = driver
        .engine()
        .credentials_snapshot()
        .location_id()
        .map(str::to_owned)
        .ok_or_else(|| Error::invalid_argument("a sync needs credentials for a location"))?;
    let store = driver.state("a sync")?;
    let mut pass = Pass {
        driver,
        mapper,
        host: hosts.contacts,
        settings,
        phones,
        store,
        keys: Keys::new(&settings.name),
        location,
        labels,
        rebaselined: HashSet::new(),
        report: SyncReport {
            name: settings.name.clone(),
            dry_run: settings.dry_run,
            ..SyncReport::default()
        },
        email_field: None,
        phone_field: None,
        lease: None,
        tags_field: None,
        pending: Vec::new(),
        notes: hosts.notes,
        appointments: hosts.appointments,
        scratch: Scratch::new(&Keys::new(&settings.name), settings.dry_run),
        batch: Vec::new(),
        taken: HashSet::new(),
        taken_count: 0,
        delete_scan: false,
        cut: None,
        read_ids: None,
    };
    pass.email_field = pass.labels.iter().position(|l| l == "email");
    pass.phone_field = pass.labels.iter().position(|l| l == "phone");
    pass.tags_field = pass.labels.iter().position(|l| l == "tags");
    if !settings.dry_run {
        let (lease_ms, wait_ms) = (settings.lease_ms, settings.lease_wait_ms);
        pass.lease = Some(Lease::take(driver, store, &pass.keys, lease_ms, wait_ms).await?);
    }
    let outcome = pass.run(&progress).await;
    // Given up whether the pass finished or failed, so the next one (a
    // rerun, another process) need not wait it out.
    let released = match pass.lease.take() {
        Some(lease) => lease.release(store, driver.transport().now_ms()).await,
        None => Ok(()),
    };
    outcome?;
    released?;
    Ok(pass.report)
}

impl<T: Transport> Driver<T> {
    /// One pass of the sync `settings.name`: reads `template` (a two-way
    /// contact mapping template), binds it to the location's custom fields
    /// when it names keys, and runs [`run_pass`] in the background lane, so
    /// interactive calls on the same budget go first.
    ///
    /// Errors as [`MappingTemplate::load`](crate::mapping::MappingTemplate::load),
    /// [`Driver::mapper`] and [`run_pass`].
    pub async fn sync_pass<P: Fn(&Progress) + MaybeSync>(
        &self,
        template: &Value,
        host: &dyn HostAdapter,
        settings: &SyncSettings,
        phones: Option<&dyn PhoneNumbers>,
        progress: P,
    ) -> Result<SyncReport> {
        self.sync_pass_with(
            template,
            SyncHosts::contacts(host),
            settings,
            phones,
            progress,
        )
        .await
    }

    /// [`Driver::sync_pass`] over every adapter of `hosts`: notes and
    /// appointments too, when given.
    pub async fn sync_pass_with<P: Fn(&Progress) + MaybeSync>(
        &self,
        template: &Value,
        hosts: SyncHosts<'_>,
        settings: &SyncSettings,
        phones: Option<&dyn PhoneNumbers>,
        progress: P,
    ) -> Result<SyncReport> {
        let template = crate::mapping::MappingTemplate::load(template)?;
        let background = self.in_lane(crate::state::Lane::Background);
        let mapper = background.mapper(template, None).await?;
        run_pass(&background, &mapper, hosts, settings, phones, progress).await
    }
}

struct Pass<'a, T: Transport> {
    driver: &'a Driver<T>,
    mapper: &'a Mapper,
    host: &'a dyn HostAdapter,
    settings: &'a SyncSettings,
    phones: Option<&'a dyn PhoneNumbers>,
    store: &'a BoundStore,
    keys: Keys,
    location: String,
    labels: Vec<String>,
    /// Fields whose values are baselined again in this pass.
    rebaselined: HashSet<String>,
    report: SyncReport,
    email_field: Option<usize>,
    phone_field: Option<usize>,
    /// The sync's lease, held for the pass (none in a dry run).
    lease: Option<Lease>,
    /// The template field that writes `tags`, if any.
    tags_field: Option<usize>,
    /// Pairs whose tag changes wait for the next bulk write, their links
    /// committed after it.
    pending: Vec<(String, Link, TagWrite)>,
    /// The host's notes, when the pass syncs them.
    notes: Option<NoteHost<'a>>,
    /// The host's appointments, when the pass syncs them.
    appointments: Option<AppointmentHost<'a>>,
    /// The pass's scratch space in the store (`scratch.rs`).
    scratch: Scratch,
    /// Entries written with the page's next commit: links of pairs that
    /// wrote nothing (a crash loses only what the rerun finds again),
    /// handled marks, spilled records taken.
    batch: Vec<(String, Value)>,
    /// Spilled host records taken since the last batch commit.
    taken: HashSet<String>,
    /// Spilled host records taken in this pass, for the progress total of
    /// those left.
    taken_count: u64,
    /// Whether this pass scans for contacts deleted in HighLevel: its walk
    /// reads every contact, and the contacts it handles are marked.
    delete_scan: bool,
    /// HighLevel's `dateUpdated` of the pass's first contact update, where
    /// the walk stops.
    cut: Option<i64>,
    /// The contacts the walk read, when notes are synced (their notes are
    /// listed).
    read_ids: Option<Vec<String>>,
}

/// Scratch entries and id-map entries read per page.
const SCRATCH_PAGE: usize = 500;

/// Contacts per bulk tag write, and pairs per batch.
const TAG_BATCH: usize = 100;

/// One contact's tag changes.
struct TagWrite {
    contact: String,
    add: Vec<String>,
    remove: Vec<String>,
}

/// A tags value as a list of tags.
fn tag_list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl<T: Transport> Pass<'_, T> {
    fn now(&self) -> u64 {
        self.driver.transport().now_ms()
    }

    /// Runs `f` with the platform's mapping context (built here, so no
    /// borrowed closure is held across an await).
    fn with_cx<R>(&self, f: impl FnOnce(&MapContext<'_>) -> R) -> R {
        let transport = self.driver.transport();
        let offsets = |zone: &str, utc_ms: i64| transport.zone_offset_s(zone, utc_ms);
        f(&MapContext {
            phones: self.phones,
            zone_offsets: &offsets,
        })
    }

    async fn run<P: Fn(&Progress) + MaybeSync>(&mut self, progress: &P) -> Result<()> {
        let meta_key = self.keys.meta();
        let meta: Option<Meta> = state::read(self.store, &meta_key, self.now()).await?;
        let template = self.mapper.template();
        let fingerprints: BTreeMap<String, String> = (0..self.labels.len())
            .map(|i| {
                (
                    self.labels[i].clone(),
                    self.mapper.field_fingerprint(i).to_owned(),
                )
            })
            .collect();
        let mut meta = match meta {
            Some(meta) if meta.template != template.name() => {
                return Err(crate::state::state_error(format!(
                    "the sync {:?} was made with the template {:?}, not {:?}: give this template another sync name",
                    self.settings.name,
                    meta.template,
                    template.name()
                )));
            }
            Some(meta) => {
                for (label, fp) in &fingerprints {
                    if meta.fields.get(label) != Some(fp) {
                        self.rebaselined.insert(label.clone());
                    }
                }
                let mut changed: Vec<String> = self.rebaselined.iter().cloned().collect();
                changed.extend(
                    meta.fields
                        .keys()
                        .filter(|l| !fingerprints.contains_key(*l))
                        .cloned(),
                );
                changed.sort();
                self.report.rebaselined = changed;
                meta
            }
            None => Meta {
                v: 1,
                template: template.name().to_owned(),
                ..Meta::default()
            },
        };
        self.report.first = !meta.baselined;
        let journal = self
            .store
            .list(&self.keys.journals(), usize::MAX, self.now())
            .await?;
        self.report.recovered = journal.len() as u64;

        // 1. The host's changes, kept in the scratch space as they come.
        let full = !meta.baselined
            || (self.now() as i64).saturating_sub(meta.scanned_ms)
                >= self.settings.reconcile_every_ms;
        self.delete_scan = full && meta.baselined;
        self.report.delete_scan = self.delete_scan;
        if self.notes.is_some() {
            self.read_ids = Some(Vec::new());
        }
        self.store
            .delete_prefix(self.scratch.root(), self.now())
            .await?;
        let (spilled, host_checkpoint) = self.spill_host(meta.host.clone(), progress).await?;

        // 2. HighLevel's contacts, each merged with its pair, matched to a
        //    lone host record, or created in the host as its page comes.
        let from_ms = if meta.baselined && !full {
            meta.mark_ms.map(|m| m - self.settings.overlap_ms)
        } else {
            None
        };
        let mark_ms = self.walk_highlevel(from_ms, progress).await?;

        // 3. The host records no contact of the walk took: merged with a
        //    contact that did not change, or created in HighLevel.
        self.rest_of_host(spilled, progress).await?;

        // 4. Linked contacts the delete scan did not see.
        if self.delete_scan {
            self.unseen_contacts().await?;
        }

        if let Some(host) = self.notes {
            let read_ids = self.read_ids.take().unwrap_or_default();
            let mut stage = NotesStage {
                driver: self.driver,
                store: self.store,
                keys: &self.keys,
                settings: self.settings,
                host,
                report: &mut self.report,
                lease: &mut self.lease,
            };
            meta.notes_host = stage.run(meta.notes_host.clone(), &read_ids, full).await?;
        }

        if let Some(host) = self.appointments {
            let mut stage = AppointmentsStage {
                driver: self.driver,
                store: self.store,
                keys: &self.keys,
                settings: self.settings,
                host,
                location: &self.location,
                counts: &mut self.report.appointments,
            };
            stage.run().await?;
        }

        // 5. The pass is done: its checkpoints, then the journal's
        //    leftovers and the scratch space.
        if self.settings.dry_run {
            return self
                .store
                .delete_prefix(self.scratch.root(), self.now())
                .await;
        }
        meta.fields = fingerprints;
        meta.host = host_checkpoint.or(meta.host);
        meta.mark_ms = match (meta.mark_ms, mark_ms) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        if full {
            meta.scanned_ms = self.now() as i64;
        }
        meta.baselined = true;
        self.store
            .put(&meta_key, &state::to_value(&meta), None, self.now())
            .await?;
        for (key, _) in journal {
            self.store.delete(&key, self.now()).await?;
        }
        self.store
            .delete_prefix(self.scratch.root(), self.now())
            .await
    }

    /// Renews the lease when it is due (see [`Lease::keep`]).
    async fn keep_lease(&mut self) -> Result<()> {
        let now = self.now();
        match &mut self.lease {
            Some(lease) => lease.keep(self.store, now).await,
            None => Ok(()),
        }
    }

    /// Whether link `link` was last synced longer ago than the overlap:
    /// search is eventually consistent, and a contact a pass just wrote (an
    /// interrupted pass's create) may not be in it yet.
    fn settled(&self, link: &Link) -> bool {
        link.highlevel_ms < self.now() as i64 - self.settings.overlap_ms
    }

    /// Writes the page's batched entries (quiet links, handled marks,
    /// spilled records taken) in one store commit.
    async fn flush_batch(&mut self) -> Result<()> {
        self.taken.clear();
        if self.batch.is_empty() {
            return Ok(());
        }
        self.keep_lease().await?;
        let batch = std::mem::take(&mut self.batch);
        self.store.put_many(&batch, self.now()).await
    }

    /// Marks contact `contact_id` handled, for the delete scan.
    fn mark_handled(&mut self, contact_id: &str) {
        if self.delete_scan {
            self.batch
                .push((self.scratch.handled(contact_id), Value::Bool(true)));
        }
    }

    /// Every host change since `since`, a page at a time into the scratch
    /// space (a record changed twice is its newest), with the match keys
    /// of the unlinked ones. Returns how many records were spilled and the
    /// checkpoint after the last page.
    async fn spill_host<P: Fn(&Progress) + MaybeSync>(
        &mut self,
        since: Option<String>,
        progress: &P,
    ) -> Result<(u64, Option<String>)> {
        let mut walk = ChangeWalk::new(since);
        let mut spilled = 0;
        loop {
            self.keep_lease().await?;
            let limit = self.settings.host_page_limit;
            let mut page: BTreeMap<String, HostRecord> = BTreeMap::new();
            let Some(read) = walk
                .next(self.host, limit, &mut page, &mut self.report)
                .await?
            else {
                break;
            };
            self.report.host_read += read;
            let mut entries: Vec<(String, Value)> = walk
                .take_duplicated()
                .iter()
                .map(|id| (self.scratch.record(id), Value::Null))
                .collect();
            for (id, record) in page {
                let linked = self.store.get(&self.keys.link(&id), self.now()).await?;
                if !record.deleted && linked.is_none() {
                    let (email, phone) = self.match_keys(&record);
                    let keys = [
                        email.and_then(|e| self.scratch.email(&e)),
                        phone.and_then(|p| self.scratch.phone(&p)),
                    ];
                    for key in keys.into_iter().flatten() {
                        entries.push((key, json!(id)));
                    }
                }
                entries.push((self.scratch.record(&id), record.to_json()));
                spilled += 1;
            }
            self.store.put_many(&entries, self.now()).await?;
            progress(&Progress {
                phase: "host",
                done: self.report.host_read,
                total: None,
            });
        }
        Ok((spilled, walk.checkpoint()))
    }

    /// A host record's email (lower case) and phone as the template maps
    /// them, what matching compares with a contact's.
    fn match_keys(&self, record: &HostRecord) -> (Option<String>, Option<String>) {
        let fields = Value::Object(record.fields.clone());
        let value_of = |i: Option<usize>| -> Option<String> {
            let i = i?;
            let mut errors = Vec::new();
            self.with_cx(|cx| self.mapper.forward_value(i, &fields, cx, &mut errors))
                .and_then(|v| v.as_str().map(str::to_owned))
                .filter(|s| !s.is_empty())
        };
        (
            value_of(self.email_field).map(|e| e.to_lowercase()),
            value_of(self.phone_field),
        )
    }

    /// Takes spilled host record `host_id` for this pass, once: `None` if
    /// it did not change (never spilled), was refused, or is taken already.
    async fn take_spilled(&mut self, host_id: &str) -> Result<Option<HostRecord>> {
        if self.taken.contains(host_id) {
            return Ok(None);
        }
        let key = self.scratch.record(host_id);
        let Some(held) = self.store.get(&key, self.now()).await? else {
            return Ok(None);
        };
        if held.value.is_null() {
            return Ok(None);
        }
        let record = self.scratch.read_record(&key, &held.value)?;
        self.taken.insert(host_id.to_owned());
        self.taken_count += 1;
        self.batch.push((key, Value::Null));
        Ok(Some(record))
    }

    /// HighLevel's contacts from `from_ms` (every contact for `None`),
    /// each handled as its page comes. Returns the newest `dateUpdated`
    /// among them.
    ///
    /// The walk stops at the first contact updated at or after the pass's
    /// own first update (HighLevel's clock, from its answer): what follows
    /// is this pass's writes, or edits made since, which the next pass
    /// reads from the mark on. Without the stop, every contact the pass
    /// updates would be read a second time at the end of the walk.
    async fn walk_highlevel<P: Fn(&Progress) + MaybeSync>(
        &mut self,
        from_ms: Option<i64>,
        progress: &P,
    ) -> Result<Option<i64>> {
        let mut mark: Option<i64> = None;
        let mut after = Value::Null;
        let mut total: Option<u64> = None;
        let limit = self.settings.page_limit;
        loop {
            self.keep_lease().await?;
            let (page, matching) = contacts_page(
                self.driver,
                &self.location,
                limit,
                "dateUpdated",
                from_ms,
                &after,
            )
            .await?;
            total = total.or(matching);
            let full = page.len() as u64 >= limit;
            if full {
                after = search_after(&page)?;
            }
            let mut stopped = false;
            for contact in page {
                let at = updated_ms(&contact);
                if let (Some(at), Some(cut)) = (at, self.cut)
                    && at >= cut
                {
                    stopped = true;
                    break;
                }
                let Some(id) = contact["id"].as_str().filter(|s| !s.is_empty()) else {
                    continue;
                };
                let id = id.to_owned();
                self.report.highlevel_read += 1;
                mark = mark.max(at);
                self.mark_handled(&id);
                if let Some(ids) = &mut self.read_ids {
                    ids.push(id.clone());
                }
                self.contact_read(id, contact).await?;
            }
            self.flush_batch().await?;
            progress(&Progress {
                phase: "highlevel",
                done: self.report.highlevel_read,
                total: total.map(|t| t.max(self.report.highlevel_read)),
            });
            if !full || stopped {
                return Ok(mark);
            }
        }
    }

    /// A contact the walk read: merged with its linked host record, linked
    /// to a lone one it matches, or created in the host.
    async fn contact_read(&mut self, id: String, contact: Value) -> Result<()> {
        let indexed: Option<Value> =
            state::read(self.store, &self.keys.contact(&id), self.now()).await?;
        if let Some(host_id) = indexed.as_ref().and_then(|v| v["h"].as_str()) {
            let link: Option<Link> =
                state::read(self.store, &self.keys.link(host_id), self.now()).await?;
            // A contact index whose link was never committed (a crash
            // between the two) is matched again below.
            if let Some(link) = link.filter(|l| l.contact == id) {
                let host_id = host_id.to_owned();
                let host = self.take_spilled(&host_id).await?;
                return self
                    .sync_pair(Pair {
                        host_id,
                        link,
                        host,
                        remote: Remote::Read(contact),
                    })
                    .await;
            }
        }
        match self.find_match(&contact).await? {
            Some(record) => {
                self.report.matched += 1;
                self.first_link(record, contact).await
            }
            None => self.create_in_host(contact).await,
        }
    }

    /// The lone host record a contact matches: by email, then by E.164
    /// phone, each record to one contact.
    async fn find_match(&mut self, contact: &Value) -> Result<Option<HostRecord>> {
        let email = contact["email"]
            .as_str()
            .map(|e| e.trim().to_lowercase())
            .and_then(|e| self.scratch.email(&e));
        let phone = contact["phone"]
            .as_str()
            .and_then(|p| self.scratch.phone(p));
        for key in [email, phone].into_iter().flatten() {
            let Some(held) = self.store.get(&key, self.now()).await? else {
                continue;
            };
            let Some(host_id) = held.value.as_str() else {
                continue;
            };
            let host_id = host_id.to_owned();
            if let Some(record) = self.take_spilled(&host_id).await? {
                return Ok(Some(record));
            }
        }
        Ok(None)
    }

    /// The spilled host records the walk did not take, a page at a time:
    /// each linked one merged with its contact as last synced (or as the
    /// delete scan finds it), each other one created in HighLevel.
    /// `spilled` is how many were spilled (the progress bar's total).
    async fn rest_of_host<P: Fn(&Progress) + MaybeSync>(
        &mut self,
        spilled: u64,
        progress: &P,
    ) -> Result<()> {
        let prefix = self.scratch.records();
        let mut after = String::new();
        let mut done = 0;
        let left = spilled.saturating_sub(self.taken_count);
        loop {
            let page = self.next_page(&prefix, &mut after).await?;
            if page.is_empty() {
                break;
            }
            for (key, held) in page {
                if held.value.is_null() {
                    continue;
                }
                let record = self.scratch.read_record(&key, &held.value)?;
                let host_id = record.id.clone();
                let link: Option<Link> =
                    state::read(self.store, &self.keys.link(&host_id), self.now()).await?;
                match link {
                    Some(link) => {
                        self.mark_handled(&link.contact);
                        let remote = self.unread_contact(&link).await?;
                        self.sync_pair(Pair {
                            host_id,
                            link,
                            host: Some(record),
                            remote,
                        })
                        .await?;
                    }
                    None => self.create_in_highlevel(record).await?,
                }
                done += 1;
                progress(&Progress {
                    phase: "records",
                    done,
                    total: Some(left.max(done)),
                });
            }
            self.flush_batch().await?;
        }
        self.flush_tags().await?;
        progress(&Progress {
            phase: "records",
            done,
            total: Some(done),
        });
        Ok(())
    }

    /// HighLevel's side of a linked pair the walk did not read. Without a
    /// delete scan it did not change. With one, the walk read every
    /// contact, so it changed after the walk's stop or is gone: one
    /// `contacts.get` tells which (a contact the pass synced within the
    /// overlap is taken as unchanged: search may not show it yet).
    async fn unread_contact(&mut self, link: &Link) -> Result<Remote> {
        if !self.delete_scan || link.deleted.is_some() || !self.settled(link) {
            return Ok(Remote::Unchanged);
        }
        let params = json!({"contactId": link.contact});
        match self.driver.call("contacts.get", params).await {
            Ok(mut answer) => Ok(Remote::Read(answer["contact"].take())),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(Remote::Deleted),
            Err(e) => Err(e),
        }
    }

    /// The next page of the entries under `prefix` after `after`, which
    /// moves to its last key; the lease renewed first. Empty at the end.
    async fn next_page(
        &mut self,
        prefix: &str,
        after: &mut String,
    ) -> Result<Vec<(String, crate::state::Versioned)>> {
        self.keep_lease().await?;
        let page = self
            .store
            .list_after(prefix, after, SCRATCH_PAGE, self.now())
            .await?;
        if let Some((last, _)) = page.last() {
            after.clone_from(last);
        }
        Ok(page)
    }

    /// The delete scan's last step: every linked contact neither the walk
    /// nor a host change handled, a page of the id map at a time.
    async fn unseen_contacts(&mut self) -> Result<()> {
        let prefix = self.keys.contacts();
        let mut after = String::new();
        loop {
            let page = self.next_page(&prefix, &mut after).await?;
            if page.is_empty() {
                break;
            }
            for (key, held) in page {
                let contact_id = &key[prefix.len()..];
                let seen = self
                    .store
                    .get(&self.scratch.handled(contact_id), self.now())
                    .await?;
                let Some(host_id) = held.value["h"].as_str().filter(|_| seen.is_none()) else {
                    continue;
                };
                let Some(link) =
                    state::read::<Link>(self.store, &self.keys.link(host_id), self.now()).await?
                else {
                    continue;
                };
                if link.contact != contact_id {
                    continue;
                }
                let remote = self.unread_contact(&link).await?;
                if matches!(remote, Remote::Unchanged) {
                    continue;
                }
                self.sync_pair(Pair {
                    host_id: host_id.to_owned(),
                    link,
                    host: None,
                    remote,
                })
                .await?;
            }
            self.flush_batch().await?;
        }
        self.flush_tags().await
    }

    /// Each field's forward value for a host record, or the record's
    /// errors (the template's rules, all of them).
    fn host_values(&self, record: &HostRecord) -> std::result::Result<Vec<Value>, Vec<FieldError>> {
        let fields = Value::Object(record.fields.clone());
        self.with_cx(|cx| {
            let mut errors = Vec::new();
            let mut values = Vec::with_capacity(self.labels.len());
            let mut out = Value::Object(Map::new());
            let mut custom = Vec::new();
            for i in 0..self.labels.len() {
                let v = self
                    .mapper
                    .forward_value(i, &fields, cx, &mut errors)
                    .unwrap_or(Value::Null);
                if !v.is_null() {
                    self.mapper
                        .write_forward(i, v.clone(), &mut out, &mut custom, &mut errors);
                }
                values.push(v);
            }
            if !custom.is_empty() {
                out["customFields"] = Value::Array(custom);
            }
            self.mapper.check_record_rules(&fields, &out, &mut errors);
            if errors.is_empty() {
                Ok(values)
            } else {
                Err(errors)
            }
        })
    }

    fn highlevel_values(&self, contact: &Value) -> Vec<Value> {
        (0..self.labels.len())
            .map(|i| self.mapper.highlevel_value(i, contact))
            .collect()
    }

    fn invalid(&mut self, record: &HostRecord, contact: Option<&str>, errors: Vec<FieldError>) {
        let errors = errors.iter().map(|e| e.to_json("")).collect();
        self.report.item(ReportItem {
            kind: ItemKind::Invalid,
            host_id: Some(record.id.clone()),
            contact_id: contact.map(str::to_owned),
            field: None,
            message:
                "the mapping template's rules refused this host record: nothing of it was sent"
                    .into(),
            errors,
            values: None,
        });
    }

    /// A linked pair: deletes first, then the field-by-field merge.
    async fn sync_pair(&mut self, pair: Pair) -> Result<()> {
        let Pair {
            host_id,
            mut link,
            host,
            remote,
        } = pair;
        if link.deleted.is_some() {
            self.report.unchanged += 1;
            return Ok(());
        }
        let n = self.labels.len();
        let base = |link: &Link, i: usize, side: usize| -> Value {
            link.base
                .get(&self.labels[i])
                .map(|b| b[side].clone())
                .unwrap_or(Value::Null)
        };
        let host_values: Vec<Value> = match &host {
            Some(record) if !record.deleted => match self.host_values(record) {
                Ok(values) => values,
                Err(errors) => {
                    self.invalid(record, Some(&link.contact), errors);
                    return Ok(());
                }
            },
            _ => (0..n).map(|i| base(&link, i, 0)).collect(),
        };
        let host_moved = host.as_ref().is_some_and(|r| !r.deleted)
            && (0..n).any(|i| !same(&host_values[i], &base(&link, i, 0)));
        let contact = match remote {
            // Search is eventually consistent: a version older than the one
            // last synced (this pass's or an interrupted one's write, not yet
            // in search) says nothing new.
            Remote::Read(c) if updated_ms(&c).is_some_and(|at| at < link.highlevel_ms) => None,
            Remote::Read(c) => Some(c),
            Remote::Unchanged => None,
            Remote::Deleted => {
                return self.deleted_in_highlevel(host_id, link, host_moved).await;
            }
        };
        let highlevel_values: Vec<Value> = match &contact {
            Some(c) => self.highlevel_values(c),
            None => (0..n).map(|i| base(&link, i, 1)).collect(),
        };
        if let Some(record) = host.as_ref().filter(|r| r.deleted) {
            let edited = (0..n).any(|i| !same(&highlevel_values[i], &base(&link, i, 1)));
            return self.deleted_on_host(record, link, edited).await;
        }
        let clocks = Clocks {
            host_ms: host.as_ref().map_or(link.host_ms, |r| r.updated_ms),
            highlevel_ms: contact
                .as_ref()
                .and_then(updated_ms)
                .unwrap_or(link.highlevel_ms),
            skew_ms: self.settings.skew_ms,
        };
        let mut decisions = Vec::with_capacity(n);
        for i in 0..n {
            let label = &self.labels[i];
            let b = link.base.get(label);
            let decision =
                if self.rebaselined.contains(label) || b.is_none() && !link.base.is_empty() {
                    Decision::Keep
                } else {
                    decide(
                        self.settings.policy_of(label),
                        FieldSides {
                            host: &host_values[i],
                            highlevel: &highlevel_values[i],
                            base: b.map(|b| (&b[0], &b[1])),
                        },
                        clocks,
                    )
                };
            decisions.push(decision);
        }
        let contact_id = link.contact.clone();
        self.apply(
            &host_id,
            &contact_id,
            &mut link,
            decisions,
            host_values,
            highlevel_values,
            contact.as_ref(),
            clocks,
        )
        .await
    }

    /// Writes a pair's decisions and commits its link.
    #[allow(clippy::too_many_arguments)]
    async fn apply(
        &mut self,
        host_id: &str,
        contact_id: &str,
        link: &mut Link,
        decisions: Vec<Decision>,
        host_values: Vec<Value>,
        mut highlevel_values: Vec<Value>,
        contact: Option<&Value>,
        clocks: Clocks,
    ) -> Result<()> {
        let mut host_values = host_values;
        let mut to_highlevel: Vec<usize> = Vec::new();
        let mut to_host: Vec<usize> = Vec::new();
        let mut conflicted: HashSet<usize> = HashSet::new();
        for (i, d) in decisions.iter().enumerate() {
            match d {
                Decision::Keep => {}
                Decision::ToHighLevel => to_highlevel.push(i),
                // A field not mapped back stays as each side has it.
                Decision::ToHost if !self.mapper.maps_back(i) => {}
                Decision::ToHost => to_host.push(i),
                Decision::Conflict(why) => {
                    conflicted.insert(i);
                    self.report.item(ReportItem {
                        kind: ItemKind::Conflict,
                        host_id: Some(host_id.to_owned()),
                        contact_id: Some(contact_id.to_owned()),
                        field: Some(self.labels[i].clone()),
                        message: (*why).to_owned(),
                        errors: Vec::new(),
                        values: Some((host_values[i].clone(), highlevel_values[i].clone())),
                    });
                }
            }
        }
        let mut highlevel_ms = clocks.highlevel_ms;
        let mut host_ms = clocks.host_ms;
        // Tags go through the bulk endpoint, batched across pairs: the
        // contact's update carries the other fields, if any.
        let tags = self
            .tags_field
            .filter(|t| to_highlevel.contains(t) && !self.settings.dry_run)
            .map(|t| {
                let now = tag_list(&highlevel_values[t]);
                let wanted = tag_list(&host_values[t]);
                TagWrite {
                    contact: contact_id.to_owned(),
                    add: wanted
                        .iter()
                        .filter(|x| !now.contains(x))
                        .cloned()
                        .collect(),
                    remove: now
                        .iter()
                        .filter(|x| !wanted.contains(x))
                        .cloned()
                        .collect(),
                }
            });
        let fields: Vec<usize> = to_highlevel
            .iter()
            .copied()
            .filter(|i| tags.is_none() || Some(*i) != self.tags_field)
            .collect();
        if let (Some(_), Some(t)) = (&tags, self.tags_field) {
            highlevel_values[t] = host_values[t].clone();
        }
        let wrote = !fields.is_empty() || !to_host.is_empty();
        if !fields.is_empty() && !self.settings.dry_run {
            let mut params = json!({"contactId": contact_id});
            let mut custom = Vec::new();
            let mut errors = Vec::new();
            for &i in &fields {
                self.mapper.write_forward(
                    i,
                    host_values[i].clone(),
                    &mut params,
                    &mut custom,
                    &mut errors,
                );
                if host_values[i].is_null() {
                    self.clear_in(&mut params, i);
                }
            }
            if !custom.is_empty() {
                params["customFields"] = Value::Array(custom);
            }
            match self.driver.call("contacts.update", params).await {
                Ok(answer) => {
                    let written = &answer["contact"];
                    if self.cut.is_none() {
                        self.cut = updated_ms(written);
                    }
                    highlevel_ms = updated_ms(written).unwrap_or(highlevel_ms);
                    for &i in &fields {
                        let now = self.mapper.highlevel_value(i, written);
                        highlevel_values[i] = if written.is_object() {
                            now
                        } else {
                            host_values[i].clone()
                        };
                    }
                }
                Err(e) if e.code() == ErrorCode::NotFound => {
                    return self
                        .deleted_in_highlevel(host_id.to_owned(), link.clone(), true)
                        .await;
                }
                Err(e) if is_refusal(&e) => {
                    self.report.item(ReportItem::new(
                        ItemKind::Error,
                        Some(host_id.to_owned()),
                        Some(contact_id.to_owned()),
                        e.to_string(),
                    ));
                    return Ok(());
                }
                Err(e) => return Err(e),
            }
        }
        if !to_host.is_empty() && !self.settings.dry_run {
            let Some(contact) = contact else {
                return Ok(());
            };
            let mut patch = Value::Object(Map::new());
            let mut errors = Vec::new();
            self.with_cx(|cx| {
                for &i in &to_host {
                    self.mapper
                        .write_back(i, contact, cx, true, &mut patch, &mut errors);
                }
            });
            if !errors.is_empty() {
                self.report.item(ReportItem {
                    kind: ItemKind::Error,
                    host_id: Some(host_id.to_owned()),
                    contact_id: Some(contact_id.to_owned()),
                    field: None,
                    message: "HighLevel's values could not be mapped back: nothing was written to the host".into(),
                    errors: errors.iter().map(|e| e.to_json("")).collect(),
                    values: None,
                });
                return Ok(());
            }
            let fields = patch.as_object().cloned().unwrap_or_default();
            let written = self
                .host
                .upsert(HostWrite {
                    id: Some(host_id),
                    key: contact_id,
                    fields: &fields,
                    now_ms: self.now(),
                })
                .await?;
            host_ms = written.updated_ms;
            match self.host_values(&written) {
                Ok(values) => {
                    for &i in &to_host {
                        host_values[i] = values[i].clone();
                    }
                }
                Err(_) => {
                    for &i in &to_host {
                        host_values[i] = highlevel_values[i].clone();
                    }
                }
            }
        }
        if to_highlevel.is_empty() && to_host.is_empty() {
            if conflicted.is_empty() {
                self.report.unchanged += 1;
            }
        } else {
            if !to_highlevel.is_empty() {
                self.report.updated.highlevel += 1;
            }
            if !to_host.is_empty() {
                self.report.updated.host += 1;
            }
        }
        if self.settings.dry_run {
            return Ok(());
        }
        // The new base: both sides' values now, a conflicted field's too:
        // it is reported once, and the side edited next settles it.
        link.base = self.base_of(&host_values, &highlevel_values);
        link.host_ms = host_ms;
        link.highlevel_ms = highlevel_ms;
        match tags {
            // Committed once its tags are written (`flush_tags`).
            Some(write) => {
                self.pending.push((host_id.to_owned(), link.clone(), write));
                if self.pending.len() >= TAG_BATCH {
                    self.flush_tags().await?;
                }
                Ok(())
            }
            None if wrote => self.commit(host_id, link, None).await,
            None => {
                self.batch
                    .push((self.keys.link(host_id), state::to_value(&*link)));
                self.batch
                    .push((self.keys.contact(&link.contact), json!({"h": host_id})));
                Ok(())
            }
        }
    }

    /// Writes the pending pairs' tag changes through the bulk endpoint,
    /// one request per tag set and direction for up to [`TAG_BATCH`]
    /// contacts, then commits each pair whose tags were written. A contact
    /// the endpoint refused is reported and its link left as it was, so the
    /// next pass writes its tags again.
    async fn flush_tags(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        if pending.is_empty() {
            return Ok(());
        }
        let mut groups: BTreeMap<(&str, Vec<String>), Vec<String>> = BTreeMap::new();
        for (_, _, w) in &pending {
            for (kind, tags) in [("add", &w.add), ("remove", &w.remove)] {
                if !tags.is_empty() {
                    let mut key = tags.clone();
                    key.sort();
                    groups
                        .entry((kind, key))
                        .or_default()
                        .push(w.contact.clone());
                }
            }
        }
        let mut failed: HashSet<String> = HashSet::new();
        for ((kind, tags), ids) in groups {
            for chunk in ids.chunks(TAG_BATCH) {
                let params = json!({"locationId": self.location, "type": kind, "tags": tags, "contacts": chunk});
                match self.driver.call("tags.bulkUpdate", params).await {
                    Ok(answer) => {
                        for r in answer["responses"].as_array().into_iter().flatten() {
                            if r["type"] != "success"
                                && let Some(id) = r["contactId"].as_str()
                            {
                                failed.insert(id.to_owned());
                            }
                        }
                    }
                    Err(e) if is_refusal(&e) => failed.extend(chunk.iter().cloned()),
                    Err(e) => return Err(e),
                }
            }
        }
        for (host_id, link, w) in pending {
            if failed.contains(&w.contact) {
                self.report.item(ReportItem::new(
                    ItemKind::Error,
                    Some(host_id),
                    Some(w.contact),
                    "the bulk tag write refused this contact: its tags are written again next pass"
                        .into(),
                ));
                continue;
            }
            self.commit(&host_id, &link, None).await?;
        }
        Ok(())
    }

    /// Writes Null for field `i` where `write_forward` wrote nothing (a
    /// cleared value clears HighLevel's).
    fn clear_in(&self, params: &mut Value, i: usize) {
        let label = &self.labels[i];
        if label.starts_with("customFields[") {
            return;
        }
        for path in label.split(',') {
            if !path.contains('.') && !path.contains('[') {
                params[path] = Value::Null;
            }
        }
    }

    /// The pair's link and contact index in one store write; the journal
    /// entry `journal`, if any, removed after.
    async fn commit(&mut self, host_id: &str, link: &Link, journal: Option<String>) -> Result<()> {
        self.keep_lease().await?;
        let entries = vec![
            (self.keys.link(host_id), state::to_value(link)),
            (self.keys.contact(&link.contact), json!({"h": host_id})),
        ];
        self.store.put_many(&entries, self.now()).await?;
        if let Some(key) = journal {
            self.store.delete(&key, self.now()).await?;
        }
        Ok(())
    }

    /// A host record and a contact matched in this pass: linked, then
    /// merged with no base.
    async fn first_link(&mut self, record: HostRecord, contact: Value) -> Result<()> {
        let Some(contact_id) = contact["id"].as_str().map(str::to_owned) else {
            return Ok(());
        };
        let host_values = match self.host_values(&record) {
            Ok(values) => values,
            Err(errors) => {
                self.invalid(&record, Some(&contact_id), errors);
                return Ok(());
            }
        };
        let highlevel_values = self.highlevel_values(&contact);
        let clocks = Clocks {
            host_ms: record.updated_ms,
            highlevel_ms: updated_ms(&contact).unwrap_or_default(),
            skew_ms: self.settings.skew_ms,
        };
        let decisions = (0..self.labels.len())
            .map(|i| {
                decide(
                    self.settings.policy_of(&self.labels[i]),
                    FieldSides {
                        host: &host_values[i],
                        highlevel: &highlevel_values[i],
                        base: None,
                    },
                    clocks,
                )
            })
            .collect();
        let mut link = Link {
            contact: contact_id.clone(),
            host_ms: clocks.host_ms,
            highlevel_ms: clocks.highlevel_ms,
            ..Link::default()
        };
        self.apply(
            &record.id,
            &contact_id,
            &mut link,
            decisions,
            host_values,
            highlevel_values,
            Some(&contact),
            clocks,
        )
        .await
    }

    /// A host record with no contact: created by upsert, keyed on its email
    /// or phone, so a replay finds what an interrupted pass created.
    async fn create_in_highlevel(&mut self, record: HostRecord) -> Result<()> {
        if record.deleted {
            return Ok(());
        }
        let fields = Value::Object(record.fields.clone());
        let mapped = match self.with_cx(|cx| self.mapper.map(&fields, cx)) {
            Ok(mapped) => mapped,
            Err(errors) => {
                self.invalid(&record, None, errors);
                return Ok(());
            }
        };
        let keyed = ["email", "phone"]
            .iter()
            .any(|k| mapped[*k].as_str().is_some_and(|s| !s.is_empty()));
        if !keyed {
            self.report.item(ReportItem::new(ItemKind::Error,
                Some(record.id.clone()),
                None,
                "a record with neither an email nor a phone cannot be created in HighLevel exactly once: it was not sent".into(),
            ));
            return Ok(());
        }
        self.report.created.highlevel += 1;
        if self.settings.dry_run {
            return Ok(());
        }
        let journal = self.keys.journal(&record.id);
        self.store
            .put(
                &journal,
                &json!({"op": "createInHighLevel"}),
                None,
                self.now(),
            )
            .await?;
        let mut params = mapped;
        params["locationId"] = json!(self.location);
        let answer = match self.driver.call("contacts.upsert", params).await {
            Ok(answer) => answer,
            Err(e) if is_refusal(&e) => {
                self.report.created.highlevel -= 1;
                self.report.item(ReportItem::new(
                    ItemKind::Error,
                    Some(record.id.clone()),
                    None,
                    e.to_string(),
                ));
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let contact = &answer["contact"];
        let Some(contact_id) = contact["id"].as_str().map(str::to_owned) else {
            return Err(Error::protocol("contacts.upsert answered no contact id"));
        };
        let owner: Option<Value> =
            state::read(self.store, &self.keys.contact(&contact_id), self.now()).await?;
        if let Some(other) = owner.as_ref().and_then(|v| v["h"].as_str())
            && other != record.id
        {
            self.report.created.highlevel -= 1;
            self.report.item(ReportItem::new(ItemKind::Error,
                Some(record.id.clone()),
                Some(contact_id),
                format!("HighLevel's duplicate rule matched this record to a contact already synced with host record {other:?}: it was not linked"),
            ));
            return Ok(());
        }
        if answer["new"] == json!(false) {
            self.report.created.highlevel -= 1;
            self.report.matched += 1;
        }
        let host_values = self.host_values(&record).unwrap_or_default();
        let highlevel_values = self.highlevel_values(contact);
        let link = Link {
            contact: contact_id,
            base: self.base_of(&host_values, &highlevel_values),
            host_ms: record.updated_ms,
            highlevel_ms: updated_ms(contact).unwrap_or_default(),
            deleted: None,
        };
        self.commit(&record.id, &link, Some(journal)).await
    }

    /// A contact with no host record: created in the host, keyed on the
    /// contact's id.
    async fn create_in_host(&mut self, contact: Value) -> Result<()> {
        let Some(contact_id) = contact["id"].as_str().map(str::to_owned) else {
            return Ok(());
        };
        let mut patch = Value::Object(Map::new());
        let mut errors = Vec::new();
        self.with_cx(|cx| {
            for i in 0..self.labels.len() {
                self.mapper
                    .write_back(i, &contact, cx, false, &mut patch, &mut errors);
            }
        });
        if !errors.is_empty() {
            self.report.item(ReportItem {
                kind: ItemKind::Error,
                host_id: None,
                contact_id: Some(contact_id),
                field: None,
                message: "the contact could not be mapped back: no host record was created".into(),
                errors: errors.iter().map(|e| e.to_json("")).collect(),
                values: None,
            });
            return Ok(());
        }
        self.report.created.host += 1;
        if self.settings.dry_run {
            return Ok(());
        }
        let journal = self.keys.journal(&format!("c:{contact_id}"));
        self.store
            .put(&journal, &json!({"op": "createInHost"}), None, self.now())
            .await?;
        let fields = patch.as_object().cloned().unwrap_or_default();
        let written = self
            .host
            .upsert(HostWrite {
                id: None,
                key: &contact_id,
                fields: &fields,
                now_ms: self.now(),
            })
            .await?;
        check_host_id(&written.id).map_err(|why| {
            Error::invalid_argument(format!(
                "the host adapter's upsert answered a bad id: {why}"
            ))
        })?;
        let host_values = self
            .host_values(&written)
            .unwrap_or_else(|_| self.highlevel_values(&contact));
        let highlevel_values = self.highlevel_values(&contact);
        let link = Link {
            contact: contact_id,
            base: self.base_of(&host_values, &highlevel_values),
            host_ms: written.updated_ms,
            highlevel_ms: updated_ms(&contact).unwrap_or_default(),
            deleted: None,
        };
        self.commit(&written.id, &link, Some(journal)).await
    }

    fn base_of(&self, host: &[Value], highlevel: &[Value]) -> BTreeMap<String, [Value; 2]> {
        (0..self.labels.len())
            .map(|i| {
                (
                    self.labels[i].clone(),
                    [
                        host.get(i).cloned().unwrap_or(Value::Null),
                        highlevel.get(i).cloned().unwrap_or(Value::Null),
                    ],
                )
            })
            .collect()
    }

    /// A linked contact gone from HighLevel. Against a host edit it is a
    /// conflict; otherwise the policy's.
    async fn deleted_in_highlevel(
        &mut self,
        host_id: String,
        mut link: Link,
        host_edited: bool,
    ) -> Result<()> {
        if host_edited {
            self.report.item(ReportItem::new(
                ItemKind::Conflict,
                Some(host_id.clone()),
                Some(link.contact.clone()),
                "deleted in HighLevel and edited in the host: the contact is not recreated, the host record is kept".into(),
            ));
        } else if self.settings.highlevel_deletes == DeletePolicy::Propagate {
            self.report.deleted.host += 1;
            if !self.settings.dry_run {
                self.host.delete(&host_id).await?;
            }
        }
        if self.settings.dry_run {
            return Ok(());
        }
        link.deleted = Some(DeletedOn::HighLevel);
        self.commit(&host_id, &link, None).await
    }

    /// A linked host record deleted. Against a HighLevel edit it is a
    /// conflict; otherwise the policy's.
    async fn deleted_on_host(
        &mut self,
        record: &HostRecord,
        mut link: Link,
        highlevel_edited: bool,
    ) -> Result<()> {
        if highlevel_edited {
            self.report.item(ReportItem::new(
                ItemKind::Conflict,
                Some(record.id.clone()),
                Some(link.contact.clone()),
                "deleted in the host and edited in HighLevel: the host record is not recreated, the contact is kept".into(),
            ));
        } else if self.settings.host_deletes == DeletePolicy::Propagate {
            self.report.deleted.highlevel += 1;
            if !self.settings.dry_run {
                match self
                    .driver
                    .call("contacts.delete", json!({"contactId": link.contact}))
                    .await
                {
                    Ok(_) => {}
                    Err(e) if e.code() == ErrorCode::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if self.settings.dry_run {
            return Ok(());
        }
        link.deleted = Some(DeletedOn::Host);
        self.commit(&record.id, &link, None).await
    }
}

/// Whether HighLevel refused a write for good (a 4xx other than 401, 404
/// and 429): the record is reported and the pass goes on.
fn is_refusal(e: &Error) -> bool {
    matches!(
        e.code(),
        ErrorCode::InvalidArgument | ErrorCode::Validation | ErrorCode::UnexpectedStatus
    )
}
