// The demo widget. Settings come from the URL (?api=…&token=…&location=…)
// so the same page runs against a local contacts-sandbox or staging.
// A real widget should not hold a Private Integration Token in the page:
// have your back end mint a short-lived location token and pass that.
import { ContactsClient, ContactsError } from '../../js/dist/web/index.js';

const params = new URLSearchParams(location.search);
const locationId = params.get('location') ?? 'SBXloc00000000000001';
const client = new ContactsClient({
  baseUrl: params.get('api') ?? 'http://127.0.0.1:8080',
  credentials: { kind: 'privateIntegrationToken', token: params.get('token') ?? 'pit-sandbox-0000-0000-0000', locationId },
});

const $ = (id) => document.getElementById(id);
let current = null;

function status(text) {
  $('status').textContent = text;
}

function showError(e) {
  const box = $('error');
  box.hidden = false;
  box.textContent = e instanceof ContactsError ? `${e.code}: ${e.message}` : String(e);
  status('error');
}

async function busy(label, work) {
  $('error').hidden = true;
  status(label);
  for (const b of document.querySelectorAll('button')) b.disabled = true;
  try {
    await work();
    status('ready');
  } catch (e) {
    showError(e);
  } finally {
    for (const b of document.querySelectorAll('button')) b.disabled = false;
  }
}

const stamp = (iso) => (iso ? Date.parse(iso.replace(' ', 'T')) || 0 : 0);

/** Notes, tasks and appointments of one contact, newest first. */
async function activity(contactId) {
  const [notes, tasks, appts] = await Promise.all([
    client.notes.list({ contactId }),
    client.tasks.list({ contactId }),
    client.appointments.list({ contactId }),
  ]);
  const items = [
    ...(notes.notes ?? []).map((n) => ({ kind: 'note', icon: 'N', id: n.id, text: n.body ?? '', at: n.dateAdded })),
    ...(tasks.tasks ?? []).map((t) => ({ kind: 'task', icon: t.completed ? '✓' : 'T', id: t.id, text: t.title ?? '', at: t.dateAdded ?? t.dueDate, done: !!t.completed })),
    ...(appts.events ?? []).map((a) => ({ kind: 'appointment', icon: 'A', id: a.id, text: a.title ?? 'Appointment', at: a.startTime })),
  ];
  return items.sort((a, b) => stamp(b.at) - stamp(a.at));
}

function render(items) {
  const feed = $('feed');
  feed.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li');
      li.className = `${item.kind}${item.done ? ' done' : ''}`;
      li.dataset.id = item.id;
      const icon = document.createElement('span');
      icon.className = 'kind';
      icon.textContent = item.icon;
      const body = document.createElement('div');
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = item.text;
      const time = document.createElement('time');
      time.textContent = item.at ? new Date(stamp(item.at)).toLocaleString() : '';
      body.append(text, time);
      li.append(icon, body);
      if (item.kind === 'task' && !item.done) {
        const done = document.createElement('button');
        done.textContent = 'Complete';
        done.addEventListener('click', () =>
          busy('completing…', async () => {
            await client.tasks.complete({ contactId: current.id, taskId: item.id, completed: true });
            render(await activity(current.id));
          }),
        );
        li.append(done);
      }
      return li;
    }),
  );
}

$('lookup').addEventListener('submit', (ev) => {
  ev.preventDefault();
  busy('looking up…', async () => {
    const email = $('email').value.trim();
    const found = await client.contacts.findDuplicate({ locationId, email });
    if (!found.contact) {
      $('contact').hidden = true;
      throw new Error(`no contact with email ${email}`);
    }
    current = found.contact;
    $('contact-name').textContent = [current.firstName, current.lastName].filter(Boolean).join(' ') || current.email;
    $('contact-meta').textContent = [current.email, current.phone, ...(current.tags ?? [])].filter(Boolean).join(' · ');
    $('contact').hidden = false;
    render(await activity(current.id));
  });
});

$('add-note').addEventListener('submit', (ev) => {
  ev.preventDefault();
  busy('saving…', async () => {
    const body = $('note-body').value.trim();
    await client.notes.create({ contactId: current.id, body });
    $('note-body').value = '';
    render(await activity(current.id));
  });
});
