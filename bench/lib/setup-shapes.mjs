/** A realistic escalation body (about 1 KB), shared by the benchmarks and the baselines. */
export const escalationBody = (n = 0) => ({
  title: `Outlook keeps prompting for a password (${n})`,
  problemSummary:
    'Since the tenant migration Outlook prompts for credentials every few minutes and never connects. OWA works with the same account. The user is the CFO and is blocked from e-mail.',
  priority: ['low', 'normal', 'high', 'urgent'][n % 4],
  tried: [
    {
      action: 'Cleared cached credentials in Credential Manager',
      outcome: 'failed',
      at: '2026-11-20T14:05:00Z',
    },
    {
      action: 'Created a new Outlook profile',
      outcome: 'partial',
      note: 'Connected once',
      at: '2026-11-20T14:12:00Z',
    },
    { action: 'Ran Microsoft Support and Recovery Assistant', outcome: 'failed', at: '2026-11-20T14:20:00Z' },
  ],
  context: {
    client: 'Northwind Traders',
    device: 'NW-LT-0142 (Windows 11)',
    ticketUrl: 'https://psa.example.com/tickets/48213',
  },
});
