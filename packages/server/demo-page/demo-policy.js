// The owner's escalation-policy form: reads and writes the `policy` field of
// PUT /v1/account/settings (admin), in seconds so the demo shows it firing.

const FIELDS = ['renotify', 'admins', 'remind', 'release'];

/** The form's four numbers from a policy (the demo edits the common shape: two steps each). */
function toFields(policy) {
  const unclaimed = policy.unclaimed;
  const claimed = policy.claimedNotStarted;
  return {
    renotify: unclaimed.find((step) => step.notify === 'engineers')?.afterSeconds,
    admins: unclaimed.find((step) => step.notify === 'admins')?.afterSeconds,
    remind: claimed.find((step) => step.action === 'remind')?.afterSeconds,
    release: claimed.find((step) => step.action === 'release')?.afterSeconds,
  };
}

/** A policy from the form; an empty field leaves its step out. */
function fromFields(form) {
  const value = (name) => (form[name].value.trim() === '' ? undefined : Number(form[name].value));
  const step = (afterSeconds, rest) => (afterSeconds === undefined ? [] : [{ afterSeconds, ...rest }]);
  return {
    unclaimed: [
      ...step(value('renotify'), { notify: 'engineers' }),
      ...step(value('admins'), { notify: 'admins' }),
    ],
    claimedNotStarted: [
      ...step(value('remind'), { action: 'remind' }),
      ...step(value('release'), { action: 'release' }),
    ],
  };
}

/** Wires the form to the API with `getToken` (the owner's token). */
export function setUpPolicy(getToken) {
  const form = document.getElementById('policy-form');
  const status = document.getElementById('policy-status');
  const show = (settings) => {
    const fields = toFields(settings.policy);
    for (const name of FIELDS) form[name].value = fields[name] ?? '';
    status.textContent = settings.policyIsDefault
      ? 'The default policy is in force.'
      : 'Your policy is in force.';
  };
  const call = async (method, body) => {
    const response = await fetch('/v1/account/settings', {
      method,
      headers: { Authorization: `Bearer ${await getToken()}`, 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) {
      const where = json?.error?.details?.fields?.map((field) => field.message).join('; ');
      throw new Error(where || json?.error?.message || `The server answered ${response.status}`);
    }
    return json;
  };
  const save = async (policy) => {
    status.textContent = 'Saving…';
    try {
      show(await call('PUT', { policy }));
    } catch (failure) {
      status.textContent = failure.message;
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save(fromFields(form));
  });
  document.getElementById('policy-default').addEventListener('click', () => void save(null));
  call('GET')
    .then(show)
    .catch((failure) => (status.textContent = failure.message));
}
