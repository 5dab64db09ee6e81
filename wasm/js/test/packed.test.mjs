// The package as a user gets it: `npm pack`, installed into a fresh
// project, then loaded with require (CommonJS) and import (ESM). Both must
// give the same instance (one ContactsError class), and nothing outside
// the exports map may leak in.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
let project;

before(() => {
  project = mkdtempSync(join(tmpdir(), 'libcontacts-user-'));
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], { cwd: pkgDir, encoding: 'utf8' });
  const tarball = out.trim().split('\n').pop();
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-app', private: true }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', join(project, tarball)], { cwd: project, stdio: 'pipe' });
});
after(() => rmSync(project, { recursive: true, force: true }));

const node = (file, code) => {
  writeFileSync(join(project, file), code);
  return execFileSync(process.execPath, [join(project, file)], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
};

test('the tarball holds the built package and nothing else', () => {
  const files = readdirSync(join(project, 'node_modules', 'libcontacts'), { recursive: true }).map(String);
  assert.ok(files.includes('dist/index.d.ts'));
  assert.ok(files.includes('dist/node/index.cjs') && files.includes('dist/node/index.mjs'));
  assert.ok(files.includes('dist/web/index.js') && files.includes('dist/web/contacts_wasm_bg.wasm'));
  assert.ok(!files.some((f) => f.startsWith('test') || f.startsWith('scripts') || f.startsWith('node_modules')), files.join(' '));
});

test('require() works', () => {
  const out = node(
    'cjs.cjs',
    `const lc = require('libcontacts');
     const r = lc.buildRequest('contacts.get', { contactId: 'c1' }, { token: 't' });
     let code; try { lc.buildRequest('contacts.get', { contactId: '' }); } catch (e) { code = e instanceof lc.ContactsError && e.code; }
     console.log(JSON.stringify({ url: r.url, code, v: lc.version(), ops: lc.catalog().actions.length }));`,
  );
  const r = JSON.parse(out);
  assert.equal(r.url, 'https://services.leadconnectorhq.com/contacts/c1');
  assert.equal(r.code, 'INVALID_ARGUMENT');
  const committed = JSON.parse(readFileSync(new URL('../../../core/catalog.json', import.meta.url), 'utf8'));
  assert.equal(r.ops, committed.actions.length);
});

test('import works, and shares one instance with require', () => {
  const out = node(
    'esm.mjs',
    `import { ContactsClient, ContactsError, verifyWebhook } from 'libcontacts';
     import { createRequire } from 'node:module';
     const cjs = createRequire(import.meta.url)('libcontacts');
     let err; try { verifyWebhook({}, '{}'); } catch (e) { err = e; }
     const c = new ContactsClient({ credentials: { kind: 'privateIntegrationToken', token: 'x' } });
     console.log(JSON.stringify({ same: cjs.ContactsError === ContactsError, caught: err instanceof cjs.ContactsError, code: err.code, groups: typeof c.contacts.get }));`,
  );
  assert.deepEqual(JSON.parse(out), { same: true, caught: true, code: 'WEBHOOK_SIGNATURE', groups: 'function' });
});

test('deep imports outside the exports map are refused', () => {
  assert.throws(() => node('deep.cjs', `require('libcontacts/dist/node/contacts_wasm.js')`), /ERR_PACKAGE_PATH_NOT_EXPORTED/);
});
