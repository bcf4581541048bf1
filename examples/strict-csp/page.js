// Counts CSP violations on the page, so a test (or a person) can see there are none.
let violations = 0;
document.addEventListener('securitypolicyviolation', (event) => {
  violations += 1;
  document.getElementById('violations').textContent =
    `CSP violations: ${violations} (last: ${event.violatedDirective} ${event.blockedURI})`;
});

ResolutionFlow.configure({
  apiBase: document.documentElement.dataset.rfApi,
  getToken: async () => (await (await fetch('/rf-token')).json()).token,
});
