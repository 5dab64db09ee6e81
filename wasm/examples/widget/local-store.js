// A state store over the page's localStorage, for the widget's flow: its
// run log survives a reload, so a follow-up clicked twice (or in two tabs
// after a reload) runs once. The StateStoreObject contract: versions grow
// with every write and are never reused; `now` is the engine's clock.
export function localStore(prefix = 'libcontacts:') {
  const versionKey = `${prefix}#version`;
  const read = (key) => {
    const text = localStorage.getItem(prefix + key);
    return text ? JSON.parse(text) : null;
  };
  const live = (key, now) => {
    const e = read(key);
    return e && (e.expiresAt === null || now < e.expiresAt) ? e : null;
  };
  const write = (key, value, ttl, now) => {
    const version = Number(localStorage.getItem(versionKey) ?? 0) + 1;
    localStorage.setItem(versionKey, String(version));
    localStorage.setItem(prefix + key, JSON.stringify({ value, version, expiresAt: ttl == null ? null : now + ttl }));
    return version;
  };
  return {
    get: async (key, now) => {
      const e = live(key, now);
      return e ? { value: e.value, version: e.version } : null;
    },
    put: async (key, value, ttl, now) => write(key, value, ttl, now),
    compareAndSet: async (key, expected, value, ttl, now) => ((live(key, now)?.version ?? null) === expected ? write(key, value, ttl, now) : null),
    delete: async (key, now) => {
      const had = live(key, now) !== null;
      localStorage.removeItem(prefix + key);
      return had;
    },
    list: async (keyPrefix, limit, now) =>
      Object.keys(localStorage)
        .filter((k) => k.startsWith(prefix + keyPrefix) && k !== versionKey)
        .map((k) => k.slice(prefix.length))
        .filter((k) => live(k, now))
        .sort()
        .slice(0, limit)
        .map((key) => ({ key, value: read(key).value, version: read(key).version })),
    take: async (key, units, budget, now) => {
      let window = live(key, now)?.value;
      if (!window || now >= window.resetsAt) window = { used: 0, resetsAt: now + budget.windowMs };
      const granted = window.used + units <= budget.limit;
      if (granted) window.used += units;
      write(key, window, null, now);
      return { granted, remaining: budget.limit - window.used, resetsAtMs: window.resetsAt };
    },
  };
}
