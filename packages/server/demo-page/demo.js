// The hosted demo: three personas of one MSP on one page. Tokens come from the
// demo-only /demo/token endpoint; a real portal mints them in its own backend.
import { setUpPolicy } from './demo-policy.js';
import { EXAMPLES } from './examples.js';

const params = new URLSearchParams(location.search);
const seniorPersona = params.get('senior') === 'jordan' ? 'jordan' : 'sam';
const SENIORS = {
  sam: { name: 'Sam Rivera', initials: 'SR' },
  jordan: { name: 'Jordan Lee', initials: 'JL' },
};

/** Caches one token per persona until a minute before it expires. */
const tokens = new Map();
async function tokenFor(persona) {
  const cached = tokens.get(persona);
  if (cached && cached.until > Date.now()) return cached.token;
  const response = await fetch(`/demo/token?persona=${persona}`);
  if (!response.ok) throw new Error(`Could not get a demo token (${response.status})`);
  const { token, expiresIn } = await response.json();
  tokens.set(persona, { token, until: Date.now() + (expiresIn - 60) * 1000 });
  return token;
}

function showView(view) {
  const stage = document.getElementById('stage');
  stage.dataset.view = ['junior', 'senior', 'owner'].includes(view) ? view : 'all';
  for (const link of document.querySelectorAll('[data-view-link]')) {
    if (link.dataset.viewLink === stage.dataset.view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
    const url = new URL(link.href);
    if (seniorPersona !== 'sam') url.searchParams.set('senior', seniorPersona);
    link.href = url.toString();
  }
}

function setUpSenior() {
  const senior = SENIORS[seniorPersona];
  document.getElementById('senior-name').textContent = senior.name;
  const avatar = document.getElementById('senior-avatar');
  avatar.textContent = senior.initials;
  avatar.className = `avatar avatar--${seniorPersona}`;
  const queue = document.getElementById('queue');
  queue.getToken = () => tokenFor(seniorPersona);
  const toast = document.getElementById('start-toast');
  document.addEventListener('rf-start', (event) => {
    toast.textContent = `${senior.name} started work on “${event.detail.handoff.title}”. A portal would open its remote session here.`;
    toast.hidden = false;
  });
}

// ---- Junior: the escalate form ----

const stepTemplate = document.getElementById('step-template');
const steps = document.getElementById('steps');

function addStep(step = { action: '', outcome: 'failed' }) {
  const row = stepTemplate.content.firstElementChild.cloneNode(true);
  row.querySelector('.step__action').value = step.action;
  row.querySelector('.step__outcome').value = step.outcome;
  row.querySelector('.step__remove').addEventListener('click', () => row.remove());
  steps.append(row);
  return row;
}

function fill(example) {
  const form = document.getElementById('escalate-form');
  form.title.value = example.title;
  form.client.value = example.context.client ?? '';
  form.device.value = example.context.device ?? '';
  form.ticketUrl.value = example.context.ticketUrl ?? '';
  form.priority.value = example.priority;
  form.problemSummary.value = example.problemSummary;
  steps.replaceChildren();
  for (const step of example.tried) addStep(step);
}

function readForm(form) {
  const now = new Date().toISOString();
  const context = {};
  for (const key of ['client', 'device', 'ticketUrl']) {
    const value = form[key].value.trim();
    if (value) context[key] = value;
  }
  return {
    title: form.title.value,
    priority: form.priority.value,
    problemSummary: form.problemSummary.value,
    context,
    tried: [...steps.children]
      .map((row) => ({
        action: row.querySelector('.step__action').value.trim(),
        outcome: row.querySelector('.step__outcome').value,
        at: now,
      }))
      .filter((step) => step.action),
  };
}

/** Creates an escalation as Alex; returns the handoff or throws with the API's message. */
async function escalate(body) {
  const response = await fetch('/v1/handoffs', {
    method: 'POST',
    headers: { Authorization: `Bearer ${await tokenFor('alex')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const fields = json?.error?.details?.fields?.map((field) => field.path.replace(/^json\./, '')).join(', ');
    throw new Error(
      fields ? `${json.error.message}` : (json?.error?.message ?? `The server answered ${response.status}`),
    );
  }
  return json;
}

function setUpJunior() {
  const form = document.getElementById('escalate-form');
  const error = document.getElementById('form-error');
  const status = document.getElementById('form-status');
  const submit = document.getElementById('escalate');
  let next = 0;
  const nextExample = () => EXAMPLES[next++ % EXAMPLES.length];

  document
    .getElementById('add-step')
    .addEventListener('click', () => addStep().querySelector('input').focus());
  document.getElementById('example').addEventListener('click', () => fill(nextExample()));
  addStep();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    if (!form.title.value.trim() || !form.problemSummary.value.trim()) {
      error.textContent = 'Add what is wrong and a short problem summary.';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    status.textContent = 'Escalating…';
    try {
      const handoff = await escalate(readForm(form));
      status.textContent = `Escalated “${handoff.title}”. The seniors see it now.`;
      form.reset();
      steps.replaceChildren();
      addStep();
    } catch (failure) {
      status.textContent = '';
      error.textContent = failure.message;
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });

  document.getElementById('simulate').addEventListener('click', async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      const example = nextExample();
      const now = new Date().toISOString();
      await escalate({ ...example, tried: example.tried.map((step) => ({ ...step, at: now })) });
      status.textContent = `Simulated: “${example.title}”.`;
    } catch (failure) {
      status.textContent = failure.message;
    } finally {
      button.disabled = false;
    }
  });
}

function setUpOwner() {
  const owner = () => tokenFor('priya');
  document.getElementById('metrics').getToken = owner;
  const ownerQueue = document.getElementById('owner-queue');
  ownerQueue.getToken = owner;
  // Two queues on one page: each landmark needs a name of its own.
  ownerQueue.strings = { heading: 'Escalations (owner view)' };
  setUpPolicy(owner);
}

showView(params.get('view') ?? 'all');
setUpSenior();
setUpJunior();
setUpOwner();
