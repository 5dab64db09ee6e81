// A host store object over a Map, for the tests: what a host writes over
// IndexedDB, a KV or its own Redis client (StateStoreObject).

/** A host state store over a Map, async like a real one (IndexedDB, KV). */
export function mapStore() {
  const entries = new Map();
  let version = 0;
  const live = (key, now) => {
    const e = entries.get(key);
    return e && (e.expiresAt === null || now < e.expiresAt) ? e : null;
  };
  const write = (key, value, ttl, now) => {
    version += 1;
    entries.set(key, { value, version, expiresAt: ttl === null ? null : now + ttl });
    return version;
  };
  return {
    entries,
    get: async (key, now) => {
      const e = live(key, now);
      return e ? { value: e.value, version: e.version } : null;
    },
    put: async (key, value, ttl, now) => write(key, value, ttl, now),
    compareAndSet: async (key, expected, value, ttl, now) => ((live(key, now)?.version ?? null) === expected ? write(key, value, ttl, now) : null),
    delete: async (key, now) => entries.delete(key) && true,
    list: async (prefix, limit, now) =>
      [...entries.keys()].filter((k) => k.startsWith(prefix) && live(k, now)).sort().slice(0, limit).map((key) => ({ key, ...entries.get(key) })),
    take: async () => ({ granted: true, remaining: 0, resetsAtMs: 0 }),
  };
}
