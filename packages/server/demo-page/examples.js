/** Realistic escalations for the demo's form and its "Simulate an escalation" button. */
export const EXAMPLES = [
  {
    priority: 'high',
    title: 'Shared mailbox stopped syncing in Outlook for the whole finance team',
    problemSummary:
      'Since this morning the Finance shared mailbox shows no new mail in Outlook desktop for five users. OWA shows the mail. Started after last night’s licence change.',
    tried: [
      { action: 'Restarted Outlook and rebooted one laptop', outcome: 'failed' },
      { action: 'Removed and re-added the shared mailbox', outcome: 'partial' },
    ],
    context: {
      client: 'Northwind Traders',
      device: 'Finance team (5 users)',
      ticketUrl: 'https://psa.example.com/tickets/48291',
    },
  },
  {
    priority: 'urgent',
    title: 'Branch office VPN tunnel drops every few minutes',
    problemSummary:
      'The IPsec tunnel between HQ and the Tacoma branch drops and re-establishes every 3–8 minutes. Point-of-sale terminals at the branch lose the connection each time. The ISP replaced the branch modem yesterday.',
    tried: [
      { action: 'Restarted the tunnel on both firewalls', outcome: 'failed' },
      { action: 'Checked phase 1 and phase 2 proposals match', outcome: 'worked' },
    ],
    context: {
      client: 'Contoso Retail',
      device: 'FGT-60F Tacoma',
      ticketUrl: 'https://psa.example.com/tickets/48297',
    },
  },
  {
    priority: 'normal',
    title: 'Label printer spooler crashes at reception',
    problemSummary:
      'Print Spooler crashes a minute after starting on the reception PC. Event Viewer shows a faulting module from the label printer vendor.',
    tried: [
      { action: 'Restarted the Print Spooler service', outcome: 'partial' },
      { action: 'Cleared the spool folder', outcome: 'failed' },
    ],
    context: {
      client: 'Fabrikam Dental',
      device: 'FAB-RECEPTION-01',
      ticketUrl: 'https://psa.example.com/tickets/48302',
    },
  },
  {
    priority: 'high',
    title: 'Laptop asks for the BitLocker recovery key after a BIOS update',
    problemSummary:
      'The sales director’s laptop asks for the BitLocker recovery key at every boot since the vendor BIOS update pushed on Monday.',
    tried: [{ action: 'Entered the recovery key from Entra ID', outcome: 'partial' }],
    context: {
      client: 'Adventure Works',
      device: 'AW-LT-0311 (Windows 11)',
      ticketUrl: 'https://psa.example.com/tickets/48310',
    },
  },
];
