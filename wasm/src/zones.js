// Time zone offsets from the JS engine's Intl, so the wasm carries no tz
// database. Only the runtime module (libcontacts/runtime) imports this file:
// the composites that read wall-clock times live there.

// One formatter per zone: building one costs far more than using it.
const zoneFormats = new Map();

/**
 * IANA zone `zone`'s offset from UTC, in seconds, at Unix ms `at`, as
 * `Intl` knows it (`timeZoneName: 'longOffset'` writes `GMT-04:00`, or
 * `GMT` at zero); `undefined` for a zone it does not know.
 */
export function zoneOffsetSeconds(zone, at) {
  let format = zoneFormats.get(zone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    } catch {
      return undefined;
    }
    if (zoneFormats.size >= 64) zoneFormats.clear();
    zoneFormats.set(zone, format);
  }
  const name = format.formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!m) return undefined;
  if (!m[1]) return 0;
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0);
  return m[1] === '-' ? -seconds : seconds;
}
