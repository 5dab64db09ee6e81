// A sync host over the page's IndexedDB: a widget's own records (members)
// kept in the browser and synced two ways with HighLevel by the package's
// client.syncPass. Each record is stored with a change sequence number,
// bumped on every write, so `changes(since)` is a range read of the `seq`
// index after the checkpoint: deletions are kept as tombstones so they are
// seen too. The SyncHost contract: see the package's SyncHost type.
const STORE = 'members';

const request = (r) => new Promise((ok, fail) => {
  r.onsuccess = () => ok(r.result);
  r.onerror = () => fail(r.error);
});

/** Opens (creating if missing) the database `name` and returns its host. */
export async function idbHost(name = 'libcontacts-members') {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    const store = open.result.createObjectStore(STORE, { keyPath: 'id' });
    store.createIndex('seq', 'seq', { unique: true });
  };
  const db = await request(open);
  const tx = (mode) => db.transaction(STORE, mode).objectStore(STORE);
  /** The next change sequence number: one more than the highest kept. */
  const nextSeq = async (store) => {
    const last = await request(store.index('seq').openCursor(null, 'prev'));
    return (last?.value.seq ?? 0) + 1;
  };
  /** Writes `record` (merged over the stored one) with a new sequence number. */
  const write = async (id, change) => {
    const store = tx('readwrite');
    const old = await request(store.get(id));
    const record = { id, fields: {}, deleted: false, ...old, ...change, fields: { ...(old?.fields ?? {}), ...(change.fields ?? {}) } };
    record.seq = await nextSeq(store);
    await request(store.put(record));
    return record;
  };
  const view = (r) => ({ id: r.id, updatedAt: r.updatedAt, deleted: r.deleted, fields: r.deleted ? {} : r.fields });
  return {
    db,
    /** The app's own write: what a member edit in the widget does. */
    save: (id, fields, updatedAt = Date.now()) => write(String(id), { fields, updatedAt, deleted: false }),
    /** The app's own delete (a tombstone, so the sync sees it). */
    remove: (id, updatedAt = Date.now()) => write(String(id), { fields: {}, updatedAt, deleted: true }),
    /** Every live record. */
    all: async () => (await request(tx('readonly').getAll())).filter((r) => !r.deleted).map(view),
    async changes(since, limit) {
      const after = Number(since ?? 0);
      const range = IDBKeyRange.lowerBound(after, true);
      const rows = await request(tx('readonly').index('seq').getAll(range, limit));
      const checkpoint = rows.length ? String(rows[rows.length - 1].seq) : since;
      return { records: rows.map(view), checkpoint, more: rows.length === limit };
    },
    async upsert(w) {
      const id = w.id ?? `hl-${w.key}`;
      return view(await write(id, { fields: w.fields, updatedAt: w.nowMs, deleted: false }));
    },
    async delete(id) {
      const store = tx('readwrite');
      await request(store.put({ ...(await request(store.get(id))), id, deleted: true, fields: {}, seq: await nextSeq(store), updatedAt: Date.now() }));
    },
  };
}
