#!/usr/bin/env node
// Builds the npm package into wasm/js/dist in one command:
//   for the main module, the runtime module (libcontacts/runtime) and the phone module:
//   cargo (wasm32, size profile) -> wasm-bindgen (nodejs + web) -> wasm-opt -Oz
//   (npm binaryen) -> entry files for require, import and browsers -> terser on
//   the browser JS -> size report.
//
//   node wasm/js/scripts/build.mjs [--dev]   (--dev: debug build, no wasm-opt)
//
// Needs: the wasm32-unknown-unknown target, wasm-bindgen 0.2.130 on PATH,
// and `npm ci` in wasm/js (for binaryen and terser). tests/run.sh installs all three.

import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(pkgDir, '..', '..');
const dist = join(pkgDir, 'dist');
const dev = process.argv.includes('--dev');
const profile = dev ? 'debug' : 'wasm-release';

function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
}

function timed(label, f) {
  const t = process.hrtime.bigint();
  f();
  console.log(`  ${label}: ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s`);
}

/**
 * Builds one wasm module of the package into `out` (`node/` and `web/`
 * below it): cargo with `features`, wasm-bindgen for both targets,
 * wasm-opt once, then the entry files. `extra` adds lines to each entry (the
 * main module's `loadRuntime`). Returns the web JS files and the .wasm path,
 * for the size report.
 */
async function buildModule(label, features, out, extra, passes = ['-Oz'], cargoProfile = 'wasm-release') {
  const profile = dev ? 'debug' : cargoProfile;
  console.log(`building ${label} (${profile})`);
  timed('cargo', () =>
    run('cargo', [
      'build', '-p', 'contacts-wasm', '--target', 'wasm32-unknown-unknown',
      ...(dev ? [] : ['--profile', profile]),
      ...(features.length ? ['--features', features.join(',')] : []),
    ]),
  );
  const raw = join(root, 'target', 'wasm32-unknown-unknown', profile, 'contacts_wasm.wasm');
  timed('wasm-bindgen', () => {
    for (const target of ['nodejs', 'web']) {
      run('wasm-bindgen', ['--target', target, '--out-dir', join(out, target === 'nodejs' ? 'node' : 'web'), '--out-name', 'contacts_wasm', raw]);
    }
  });
  // Both targets load the same module: optimise once, copy. `passes` is -Oz
  // unless the caller asks for more. Beyond it
  // (measured on the main module, 2026-12-02, 147,568 B gzip at -Oz):
  // memory a module defines starts zeroed and Rust's stack-first layout
  // leaves the low 1 KiB to the stack's far end, so zero bytes of data
  // segments and address offsets fold away (-700 B); the producers and
  // target-features sections are for tools only (-200 B).
  const nodeWasm = join(out, 'node', 'contacts_wasm_bg.wasm');
  if (!dev) {
    timed(`wasm-opt ${passes.join(' ')}`, () =>
      run(join(pkgDir, 'node_modules', '.bin', 'wasm-opt'), [
        ...passes, '--zero-filled-memory', '--low-memory-unused', '--strip-producers', '--strip-target-features',
        '--enable-reference-types', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-multivalue',
        nodeWasm, '-o', nodeWasm,
      ]),
    );
  }
  copyFileSync(nodeWasm, join(out, 'web', 'contacts_wasm_bg.wasm'));

  // The glue's ContactsError lives in a snippet folder named by a hash.
  const snippet = (target) => {
    const base = join(out, target, 'snippets');
    const [dir] = readdirSync(base);
    return './' + relative(join(out, target), join(base, dir, 'src', 'glue.js')).split('\\').join('/');
  };

  // The export names, read from the built Node module (what wasm-bindgen emitted).
  const requireFromHere = createRequire(import.meta.url);
  const names = Object.keys(requireFromHere(join(out, 'node', 'contacts_wasm.js'))).filter((n) => !n.startsWith('__'));
  names.sort();
  const publicNames = [...names, 'ContactsError', ...Object.keys(extra.node)].sort();

  writeFileSync(
    join(out, 'node', 'index.cjs'),
    `'use strict';
// ${label} for Node (CommonJS). The wasm module is compiled when this loads.
const wasm = require('./contacts_wasm.js');
const { ContactsError } = require('${snippet('node')}');
// node:http costs a third of Node's fetch per request; setTransport(null) restores fetch.
wasm.setTransport(require('./node-transport.cjs').send);
${extra.setup ? extra.setup('wasm.ContactsClient') : ''}${Object.entries(extra.node).map(([n, code]) => `const ${n} = ${code};\n`).join('')}module.exports = {
${publicNames.map((n) => `  ${n}: ${n === 'ContactsError' || n in extra.node ? n : `wasm.${n}`},`).join('\n')}
};
`,
  );
  writeFileSync(
    join(out, 'node', 'index.mjs'),
    `// ${label} for Node (ES modules): the CommonJS build, so require and import share one instance.
import libcontacts from './index.cjs';
export const {
${publicNames.map((n) => `  ${n},`).join('\n')}
} = libcontacts;
export default libcontacts;
`,
  );
  writeFileSync(
    join(out, 'web', 'index.js'),
    `// ${label} for browsers and bundlers: instantiates the wasm module
// (next to this file) before the first import resolves.
import init from './contacts_wasm.js';
await init({ module_or_path: new URL('./contacts_wasm_bg.wasm', import.meta.url) });
export { ${names.join(', ')} } from './contacts_wasm.js';
export { ContactsError } from '${snippet('web')}';
${extra.webImports ?? ''}${extra.setup ? `import { ContactsClient as Client } from './contacts_wasm.js';\nimport { ContactsError } from '${snippet('web')}';\n${extra.setup('Client')}` : ''}${Object.entries(extra.web).map(([n, code]) => `export const ${n} = ${code};\n`).join('')}`,
  );
  copyFileSync(join(pkgDir, 'src', 'node-transport.cjs'), join(out, 'node', 'node-transport.cjs'));
  for (const f of ['.gitignore', 'package.json']) {
    for (const t of ['node', 'web']) rmSync(join(out, t, f), { force: true });
  }
  // Every snippet a browser loads: the glue, and the runtime module's zones.js.
  const snippetDir = join(out, 'web', snippet('web'), '..');
  const snippets = readdirSync(snippetDir).filter((f) => f.endsWith('.js')).map((f) => join(snippetDir, f));
  const webJs = [join(out, 'web', 'contacts_wasm.js'), ...snippets, join(out, 'web', 'index.js')];
  return { nodeWasm, webJs, publicNames, dts: join(out, 'node', 'contacts_wasm.d.ts') };
}

/**
 * The phone module (wasm-phone/, libphonenumber's metadata): its own wasm
 * inside the package, loaded by the runtime module the first time a mapping
 * reads phones, never over the network. `dist/phone/{node,web}`.
 */
function buildPhone(out) {
  const profile = dev ? 'debug' : 'wasm-speed';
  console.log(`building the phone module (${profile})`);
  timed('cargo', () =>
    run('cargo', ['build', '-p', 'contacts-phone-wasm', '--target', 'wasm32-unknown-unknown', ...(dev ? [] : ['--profile', profile])]),
  );
  const raw = join(root, 'target', 'wasm32-unknown-unknown', profile, 'contacts_phone_wasm.wasm');
  for (const target of ['nodejs', 'web']) {
    run('wasm-bindgen', ['--target', target, '--out-dir', join(out, target === 'nodejs' ? 'node' : 'web'), '--out-name', 'contacts_phone', raw]);
  }
  const nodeWasm = join(out, 'node', 'contacts_phone_bg.wasm');
  if (!dev) {
    timed('wasm-opt -O3', () =>
      run(join(pkgDir, 'node_modules', '.bin', 'wasm-opt'), [
        '-O3', '--strip-producers', '--strip-target-features', '--enable-reference-types', '--enable-bulk-memory',
        '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-multivalue',
        nodeWasm, '-o', nodeWasm,
      ]),
    );
  }
  copyFileSync(nodeWasm, join(out, 'web', 'contacts_phone_bg.wasm'));
  writeFileSync(
    join(out, 'web', 'index.js'),
    `// The phone module for browsers: instantiated when the runtime module first imports it.
import init, { phoneToE164 } from './contacts_phone.js';
await init({ module_or_path: new URL('./contacts_phone_bg.wasm', import.meta.url) });
export { phoneToE164 };
`,
  );
  for (const t of ['node', 'web']) rmSync(join(out, t, '.gitignore'), { force: true });
  return { nodeWasm, webJs: [join(out, 'web', 'contacts_phone.js'), join(out, 'web', 'index.js')] };
}

/**
 * The runtime module's `mapRecords` and `phoneToE164`: the phone module is
 * loaded (by `load`, an expression giving a Promise of it) only for a
 * template the core says reads phones; the core maps.
 */
const mappingExtras = (load, prefix) => {
  const loader = `(() => { let phone; return () => (phone ??= Promise.resolve().then(() => ${load})); })()`;
  return {
    loadPhone: loader,
    mapRecords: `async (template, records, options) => {
  const { client, ...rest } = options ?? {};
  const phones = ${prefix}mappingUsesPhone(template) ? (await loadPhone()).phoneToE164 : undefined;
  return client ? client.mapRecordsWith(template, records, rest, phones) : ${prefix}mapRecordsWith(template, records, rest, phones);
}`,
    phoneToE164: `async (text, region) => JSON.parse((await loadPhone()).phoneToE164(String(text), String(region)))`,
    runFlow: `async (flow, event, options) => {
  const { client, ...rest } = options ?? {};
  if (!client) throw new ContactsError('runFlow: options.client is required (the client whose state store keeps the run log)', { code: 'INVALID_ARGUMENT' });
  return (await client.loadFlow(flow)).run(event, rest);
}`,
  };
};

/**
 * The runtime module's \`client.loadFlow(flow)\`: the phone module is passed
 * (loaded first) only for a flow whose mapping the core says reads phones.
 */
const flowSetup = (client) => {
  const prefix = client.startsWith('wasm.') ? 'wasm.' : '';
  return `${client}.prototype.loadFlow = async function (flow) {
  const phones = ${prefix}flowUsesPhone(flow) ? (await loadPhone()).phoneToE164 : undefined;
  return this.loadFlowWith(flow, phones);
};
${client}.prototype.syncPass = async function (template, host, settings, options) {
  const phones = ${prefix}mappingUsesPhone(template) ? (await loadPhone()).phoneToE164 : undefined;
  return this.syncPassWith(template, host, settings, phones, options ?? {});
};
`;
};

rmSync(dist, { recursive: true, force: true });
const phone = buildPhone(join(dist, 'phone'));
// The runtime module: everything of the main one plus what does not fit its
// budget (the condition and template language). Inside the package, loaded
// only when imported (libcontacts/runtime) or asked for (loadRuntime()).
// Built for speed within reason (opt-level "s", wasm-opt -Os): the numbers
// are beside the wasm-runtime profile in Cargo.toml.
const runtime = await buildModule('libcontacts/runtime', ['runtime'], join(dist, 'runtime'), {
  node: mappingExtras("require('../../phone/node/contacts_phone.js')", 'wasm.'),
  web: mappingExtras("import('../../phone/web/index.js')", ''),
  webImports: "import { mappingUsesPhone, mapRecordsWith, flowUsesPhone } from './contacts_wasm.js';\n",
  setup: flowSetup,
}, ['-Os'], 'wasm-runtime');
const main = await buildModule('libcontacts', [], dist, {
  node: { loadRuntime: "async () => require('../runtime/node/index.cjs')" },
  web: { loadRuntime: "() => import('../runtime/web/index.js')" },
  // Polling keeps state, which only the runtime module has: the main
  // module's client refuses poll and watch here, in JS, because the two
  // wasm-bindgen methods cost its budget 780 B gzipped (measured).
  setup: (client) => `for (const m of ['poll', 'watch', 'loadFlow', 'syncPass']) ${client}.prototype[m] = function () {
  const e = new ContactsError(\`\${m}: polling triggers, flows and sync keep state; they run in libcontacts/runtime (or await loadRuntime())\`, { code: 'INVALID_ARGUMENT' });
  if (m !== 'watch') return Promise.reject(e);
  throw e;
};
`,
});
const names = main.publicNames;
const nodeWasm = main.nodeWasm;

// The whole catalog, prose included (the wasm's catalog() has it without
// its schema descriptions): \`libcontacts/catalog.json\`, loaded on demand.
writeFileSync(
  join(dist, 'catalog.json'),
  JSON.stringify(JSON.parse(readFileSync(join(pkgDir, '..', '..', 'core', 'catalog.json'), 'utf8'))),
);
// The Node .d.ts carries every declaration (the web one only adds init functions).
writeFileSync(
  join(dist, 'index.d.ts'),
  readFileSync(main.dts, 'utf8') +
    `\n/** Loads the runtime module (libcontacts/runtime, inside this package) on first use. */\nexport declare function loadRuntime(): Promise<typeof import('./runtime')>;\n`,
);
writeFileSync(
  join(dist, 'runtime.d.ts'),
  readFileSync(runtime.dts, 'utf8') +
    `
/**
 * The dry run of a mapping template over \`records\`: each record mapped, or
 * every error with its path (\`members[3].phone\`). Nothing is sent, but with
 * \`options.client\` and no \`options.customFields\` the location's
 * definitions for a template that names keys. A template that reads phones
 * loads the package's phone module first. A bad template rejects with
 * \`INVALID_ARGUMENT\` naming its JSON path.
 */
export declare function mapRecords(template: MappingTemplate, records: JsonValue[], options?: MapOptions): Promise<MapReport>;
/** A phone number in E.164, read in \`region\` when national (the mapping's reader; loads the phone module). */
export declare function phoneToE164(text: string, region: string): Promise<PhoneAnswer>;
/** Loads the phone module (inside the package) now, instead of on the first mapping that reads phones. */
export declare function loadPhone(): Promise<{ phoneToE164(text: string, region: string): string }>;
export interface ContactsClient {
  /**
   * Loads a flow for this client, whose state store keeps its run log (a
   * flow whose mapping reads phones loads the phone module first). Rejects
   * with \`INVALID_ARGUMENT\` naming the flow's JSON path for a bad flow.
   */
  loadFlow(flow: FlowDefinition): Promise<Flow>;
  /**
   * One pass of a two-way sync between \`host\` and this client's location
   * (the README's "Two-way sync"), its state in the client's state store:
   * resolves to the pass's report. A template that reads phones loads the
   * phone module first. Rejects with \`HOST\` when a host method throws,
   * rejects or answers what it may not.
   */
  syncPass(template: MappingTemplate, host: SyncHost, settings: SyncSettings, options?: SyncOptions): Promise<SyncReport>;
}
/** A host record as a sync host gives it. */
export interface SyncRecord { id: string | number; updatedAt: number; deleted?: boolean; fields?: { [k: string]: JsonValue } }
/** The host side of a sync: each method may return a value or a Promise. */
export interface SyncHost {
  /** The records changed after checkpoint \`since\` (null: every record), oldest first, at most \`limit\`. */
  changes(since: string | null, limit: number): { records: SyncRecord[]; checkpoint?: string | null; more?: boolean } | Promise<{ records: SyncRecord[]; checkpoint?: string | null; more?: boolean }>;
  /** Merges \`fields\` into record \`id\` (null: creates one; \`key\` is the contact it mirrors), stamped \`nowMs\`; answers the record. */
  upsert(write: { id: string | null; key: string; fields: { [k: string]: JsonValue }; nowMs: number }): SyncRecord | Promise<SyncRecord>;
  /** Deletes record \`id\`. */
  delete(id: string): unknown;
}
/** A sync's settings: the catalog's \`settings.sync\` (the README's "Two-way sync"). */
export type SyncSettings = SyncConfig;
/** Options of a sync pass. */
export interface SyncOptions {
  signal?: AbortSignal;
  /** \`highlevel\` counts HighLevel's contacts as the walk handles them; \`records\`, the host records left, ends the pass. */
  onProgress?: (p: { phase: 'host' | 'highlevel' | 'records'; done: number; total: number | null }) => void;
  /** Sync notes too: the host's notes (each record's fields name its contact's host id, \`member_id\` by default, and hold a body, \`body\`). */
  notes?: { host: SyncHost; contactField?: string; bodyField?: string };
  /** Write HighLevel's appointments to this host too (one way, under their ids: \`write.key\`); which ones: the settings' \`appointments\`. Each record names its contact's host id (\`member_id\` by default). */
  appointments?: { host: SyncHost; contactField?: string };
}
/** Counts of a pass's writes per side. */
export interface SyncCounts { highlevel: number; host: number }
/** A pass's report: a host's sync log. */
export interface SyncReport {
  name: string; first: boolean; dryRun: boolean;
  read: { host: number; highlevel: number };
  created: SyncCounts; updated: SyncCounts; deleted: SyncCounts;
  unchanged: number; matched: number; invalid: number; conflicts: number; errors: number; recovered: number;
  rebaselined: string[]; deleteScan: boolean;
  notes: { created: SyncCounts; updated: SyncCounts; deleted: SyncCounts };
  appointments: { read: number; created: number; updated: number; deleted: number; unlinked: number };
  items: { kind: 'conflict' | 'invalid' | 'error'; hostId?: string; contactId?: string; field?: string; message: string; errors?: { path: string; message: string; target?: string }[]; host?: JsonValue; highlevel?: JsonValue }[];
}
/** \`(await options.client.loadFlow(flow)).run(event, options)\`: runs \`flow\` for one event, once. */
export declare function runFlow(flow: FlowDefinition, event: JsonValue, options: { client: ContactsClient; signal?: AbortSignal }): Promise<FlowRun>;
`,
);

// Browsers download the web JS: minify it (names of exports and classes
// kept). The Node build stays readable; Node reads it from disk.
const webJs = main.webJs;
if (!dev) {
  for (const file of [...webJs, ...runtime.webJs, ...phone.webJs]) {
    const out = await minify(readFileSync(file, 'utf8'), {
      module: true,
      compress: { passes: 2 },
      keep_classnames: true,
    });
    writeFileSync(file, out.code);
  }
}

// The budget counts the .wasm and every JS file a browser loads for it,
// each gzipped as a server would send it.
const wasmBytes = readFileSync(nodeWasm);
const glue = webJs.map((f) => readFileSync(f));
const gz = (b) => gzipSync(b, { level: 9 }).length;
const glueGzip = glue.reduce((n, b) => n + gz(b), 0);
const report = {
  profile,
  wasmBytes: wasmBytes.length,
  wasmGzip: gz(wasmBytes),
  webGlueBytes: glue.reduce((n, b) => n + b.length, 0),
  webGlueGzip: glueGzip,
  totalGzip: gz(wasmBytes) + glueGzip,
  exports: names,
  runtime: {
    wasmGzip: gz(readFileSync(runtime.nodeWasm)),
    totalGzip: gz(readFileSync(runtime.nodeWasm)) + runtime.webJs.reduce((n, f) => n + gz(readFileSync(f)), 0),
    exports: runtime.publicNames,
  },
  phone: {
    wasmGzip: gz(readFileSync(phone.nodeWasm)),
    totalGzip: gz(readFileSync(phone.nodeWasm)) + phone.webJs.reduce((n, f) => n + gz(readFileSync(f)), 0),
  },
};
writeFileSync(join(dist, 'size.json'), JSON.stringify(report, null, 2) + '\n');
console.log(
  `  .wasm ${report.wasmBytes} B (${report.wasmGzip} B gzip) + JS glue ${report.webGlueBytes} B (${report.webGlueGzip} B gzip) = ${(report.totalGzip / 1024).toFixed(1)} KB gzip`,
);
console.log(`  exports: ${names.join(', ')}`);
console.log(`  runtime module: ${(report.runtime.totalGzip / 1024).toFixed(1)} KB gzip, loaded only when imported`);
console.log(`  phone module: ${(report.phone.totalGzip / 1024).toFixed(1)} KB gzip, loaded on the first mapping that reads phones`);


