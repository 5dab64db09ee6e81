// Must NOT compile: each line is a mistake the generated types catch.
import { ContactsClient } from 'libcontacts';
import { Condition } from 'libcontacts/runtime';
const client = new ContactsClient({ credentials: { kind: 'privateIntegrationToken', token: 'x' } });
client.contacts.get({ contactID: 'c1' }); // misspelled param
client.call('contacts.fetch', {}); // no such operation
client.pages('contacts.get', { contactId: 'c1' }); // not paginated
new ContactsClient({ credentials: { kind: 'pit', token: 'x' } }); // bad credentials kind
client.tags.add({ contactId: 'c1', tags: 'vip' }); // tags is a string[]
new Condition({ path: 'contact.email', op: 'equals', value: 1 }); // no such operator
client.on('event', () => {}); // the main module's client has no event stream
