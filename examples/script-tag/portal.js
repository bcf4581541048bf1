// The portal's glue: tell the widget where the API is and how to get a token
// from the portal's own backend. No inline script, so it also runs under a CSP.
const apiBase = document.documentElement.dataset.rfApi;

ResolutionFlow.configure({
  apiBase,
  getToken: async () => {
    const response = await fetch('/rf-token', { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    return (await response.json()).token;
  },
});

const log = document.getElementById('log');
for (const type of ['rf-escalation-received', 'rf-claimed', 'rf-start', 'rf-connection-change', 'rf-error']) {
  document.addEventListener(type, (event) => {
    const what = event.detail?.handoff?.title ?? event.detail?.status ?? event.detail?.error?.message ?? '';
    log.textContent = `${type}: ${what}`;
  });
}
