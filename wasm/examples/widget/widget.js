// The demo widget. Settings come from the URL (?api=…&token=…&location=…)
// so the same page runs against a local contacts-sandbox or staging.
// A real widget should not hold a Private Integration Token in the page:
// have your back end mint a short-lived location token and pass that.
import { ContactsClient, ContactsError, loadRuntime } from '../../js/dist/web/index.js';
import { localStore } from './local-store.js';

const params = new URLSearchParams(location.search);
const locationId = params.get('location') ?? 'SBXloc00000000000001';
const config = {
  baseUrl: params.get('api') ?? 'http://127.0.0.1:8080',
  credentials: { kind: 'privateIntegrationToken', token: params.get('token') ?? 'pit-sandbox-0000-0000-0000', locationId },
};
// The page starts on the small main module. The feed is a composite action
// (activity.feed), which lives in the runtime module: it is loaded from this
// package on first use, and its client then serves every call, so one engine
// keeps one rate budget.
let client = new ContactsClient(config);
let runtime = null;

/**
 * The "Follow up" button is a flow: once per contact per day (the host
 * event's id), a call task for tomorrow and a note naming it. Its run log
 * is in localStorage, so a second click, or a reload and a click, sends
 * nothing and says so.
 */
const FOLLOW_UP = {
  name: 'widget-follow-up',
  trigger: { hostEvent: 'widget.followUp' },
  steps: [
    { name: 'task', action: 'tasks.create', params: { contactId: '{{event.data.contactId}}', title: 'Follow up with {{event.data.name}}', dueDate: '{{now | after:P1D}}' } },
    { name: 'note', action: 'notes.create', params: { contactId: '{{event.data.contactId}}', body: 'Follow-up task {{steps.task.result.task.id}} set from the chat widget.' } },
  ],
};
let followUp = null;

/** The runtime module's client (loaded on first use), keeping state in localStorage. */
async function runtimeClient() {
  if (!runtime) {
    const { ContactsClient: RuntimeClient } = await loadRuntime();
    runtime = new RuntimeClient(config);
    runtime.setStateStore(localStore());
    client = runtime;
  }
  return runtime;
}

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

const ICONS = { note: 'N', task: 'T', appointment: 'A' };

/** Notes, tasks and appointments of one contact, newest first (activity.feed). */
async function activity(contactId) {
  const { items } = await (await runtimeClient()).activity.feed({ contactId, limit: 50 });
  return items.map((item) => {
    const done = item.type === 'task' && item.status === 'completed';
    return { ...item, done, icon: done ? '✓' : ICONS[item.type], text: item.title ?? item.body ?? '' };
  });
}

function render(items) {
  const feed = $('feed');
  feed.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li');
      li.className = `${item.type}${item.done ? ' done' : ''}`;
      li.dataset.id = item.id;
      const icon = document.createElement('span');
      icon.className = 'kind';
      icon.textContent = item.icon;
      const body = document.createElement('div');
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = item.text;
      const time = document.createElement('time');
      time.textContent = item.at ? new Date(item.at).toLocaleString() : '';
      body.append(text, time);
      li.append(icon, body);
      if (item.type === 'task' && !item.done) {
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

$('follow-up').addEventListener('click', () =>
  busy('following up…', async () => {
    followUp ??= await (await runtimeClient()).loadFlow(FOLLOW_UP);
    const day = new Date().toISOString().slice(0, 10);
    const name = $('contact-name').textContent;
    const run = await followUp.run({ type: 'widget.followUp', id: `${current.id}:${day}`, data: { contactId: current.id, name } });
    if (run.state !== 'done') throw new Error(`the follow-up ${run.state}: ${run.reason ?? ''}`);
    render(await activity(current.id));
    $('follow-up-status').textContent = run.replayed ? 'already followed up today' : 'follow-up set';
  }),
);
