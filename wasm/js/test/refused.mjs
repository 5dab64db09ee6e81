// A vector's refusal, held once for the package's tests: the promise
// rejects with a ContactsError of the vector's code whose message starts
// with `CODE: ` and the JSON path the vector names.
import assert from 'node:assert/strict';
import { ContactsError } from 'libcontacts/runtime';

export async function refused(name, promise, expected) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ContactsError, `${name}: expected a refusal, got ${err}`);
  assert.equal(err.code, expected.code, `${name}: ${err.message}`);
  assert.ok(err.message.startsWith(`${expected.code}: ${expected.message_starts_with}`), `${name}: ${err.message}`);
}
