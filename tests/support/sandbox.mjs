// Starts the contacts-sandbox binary on a free loopback port and returns what
// it printed (base URL, location, token, webhook public key). The caller
// must call stop(). Shared by the Node SDK tests and the npm package tests.
import { spawn } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function startSandbox(args = []) {
  const bin = process.env.SANDBOX_BIN ?? resolve(root, 'target/debug/contacts-sandbox');
  const child = spawn(bin, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => { child.kill(); fail(new Error(`sandbox did not start: ${out}`)); }, 20000);
    child.on('error', (e) => { clearTimeout(timer); fail(e); });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const base = out.match(/base URL:\s+(\S+)/);
      const loc = out.match(/location:\s+(\S+)/);
      const pit = out.match(/token \(PIT\):\s+(\S+)/);
      if (base && loc && pit && out.includes('END PUBLIC KEY')) {
        clearTimeout(timer);
        const pem = out.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/);
        ok({ baseUrl: base[1], locationId: loc[1], pit: pit[1], publicKey: pem[0], stop: () => child.kill('SIGINT') });
      }
    });
  });
}

// The client settings for a sandbox's ready Private Integration Token.
export function pitConfig(sbx) {
  return {
    baseUrl: sbx.baseUrl,
    credentials: { kind: 'privateIntegrationToken', token: sbx.pit, locationId: sbx.locationId },
  };
}

// The client settings for OAuth location tokens from the sandbox's admin
// API (`grant`: its `tokens` answer) marked long expired, so the first call
// refreshes, with the sandbox's OAuth app.
export function expiredOAuthConfig(sbx, grant) {
  return {
    baseUrl: sbx.baseUrl,
    credentials: {
      kind: 'oauth',
      tokens: { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAtMs: 1, userType: 'Location', locationId: sbx.locationId },
    },
    oauthClient: { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' },
  };
}

// POST to the sandbox's admin API (`/sandbox/<path>`); throws unless it answers 200.
export async function sandboxAdmin(sbx, path, body) {
  // No body: a GET (`stats`, `info`).
  const init = body === undefined ? { method: 'GET' } : { method: 'POST', body: JSON.stringify(body) };
  const r = await fetch(`${sbx.baseUrl}/sandbox/${path}`, init);
  if (r.status !== 200) throw new Error(`/sandbox/${path}: ${r.status} ${await r.text()}`);
  return r.json();
}
