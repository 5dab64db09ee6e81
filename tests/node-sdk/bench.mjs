// get-contact calls/s against a running sandbox, the same measurement as
// contacts-bench: one JSON line per concurrency. CLIENT is `node-sdk` (the
// official @gohighlevel/api-client), `libcontacts` (our npm package, built
// in wasm/js/dist) or `floor` (a bare keep-alive node:http GET and
// JSON.parse: the least any client can spend), so all run the same loop.
// node bench.mjs CLIENT BASE_URL TOKEN LOCATION_ID CONTACT_ID [SECONDS] [CONCURRENCY,...]
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

const [client, base, token, locationId, contactId, secondsArg, levelsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 5);
const levels = (levelsArg ?? '1,32').split(',').map(Number);
let getContact;
if (client === 'node-sdk') {
  const { HighLevel } = require('@gohighlevel/api-client');
  HighLevel.BASE_URL = base;
  const ghl = new HighLevel({ privateIntegrationToken: token, logLevel: 'error' });
  getContact = () => ghl.contacts.getContact({ contactId });
} else if (client === 'libcontacts') {
  // LIBCONTACTS_DIST: another build of the package's dist/ (a build before
  // a change, for bench/js-change-cost.sh).
  const dist = process.env.LIBCONTACTS_DIST ?? '../../wasm/js/dist';
  const { ContactsClient } = require(`${dist}/node/index.cjs`);
  // The sandbox's budget is set high for benches; the engine's own budget
  // must not be the limit either.
  const lc = new ContactsClient({
    baseUrl: base,
    credentials: { kind: 'privateIntegrationToken', token, locationId },
    rateLimits: { burstMax: 1000000000, intervalMs: 10000, dailyMax: 1000000000 },
  });
  getContact = () => lc.contacts.get({ contactId });
} else if (client === 'floor') {
  const http = require('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(`/contacts/${encodeURIComponent(contactId)}`, base);
  const headers = { Authorization: `Bearer ${token}`, Version: '2021-07-28', Accept: 'application/json' };
  getContact = () =>
    new Promise((resolve, reject) => {
      const req = http.get(url, { agent, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
            resolve(body);
          } catch (e) {
            reject(e);
          }
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });
} else {
  throw new Error(`unknown client ${client}: node-sdk, libcontacts or floor`);
}
await getContact();
for (const concurrency of levels) {
  let stop = false;
  const lat = [];
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const worker = async () => {
    while (!stop) {
      const t = performance.now();
      await getContact();
      lat.push((performance.now() - t) * 1000);
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stop = true;
  await Promise.all(workers);
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  lat.sort((a, b) => a - b);
  const pct = (p) => Math.round(lat[Math.min(lat.length - 1, Math.floor(lat.length * p))]);
  console.log(JSON.stringify({
    client, concurrency, calls: lat.length, calls_per_s: Math.round(lat.length / elapsed),
    p50_us: pct(0.5), p99_us: pct(0.99), cpu_us_per_call: +((cpu.user + cpu.system) / lat.length).toFixed(1),
    peak_rss_kib: process.resourceUsage().maxRSS,
  }));
}
