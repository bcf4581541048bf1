import type { CreateHandoffRequest } from '@resolutionflow/types';

const minutesAgo = (now: number, minutes: number) => new Date(now - minutes * 60_000).toISOString();

/** Realistic MSP escalations, as a junior technician would write them. */
export function demoScenarios(now: number): CreateHandoffRequest[] {
  return [
    {
      priority: 'high',
      title: 'Outlook profile corrupt after M365 migration — keeps prompting for password',
      problemSummary:
        "CFO at Northwind cannot use Outlook since last night's tenant migration. Outlook opens, prompts for credentials every 2–3 minutes, never connects. OWA works fine with the same account.",
      tried: [
        {
          action: 'Cleared cached credentials in Credential Manager',
          outcome: 'failed',
          at: minutesAgo(now, 41),
        },
        {
          action: 'Created a new Outlook profile',
          outcome: 'partial',
          note: 'Connected once, prompts came back after restart',
          at: minutesAgo(now, 33),
        },
        {
          action: 'Ran Microsoft Support and Recovery Assistant',
          outcome: 'failed',
          at: minutesAgo(now, 20),
        },
      ],
      context: {
        client: 'Northwind Traders',
        device: 'NW-LT-0142 (Windows 11 23H2)',
        ticketUrl: 'https://psa.example.com/tickets/48213',
        fields: { Contract: 'Gold', Site: 'Seattle HQ' },
      },
    },
    {
      priority: 'urgent',
      title: 'Site-to-site VPN tunnel flapping between HQ and warehouse',
      problemSummary:
        'The IPsec tunnel between the HQ FortiGate and the warehouse drops every 5–10 minutes and re-establishes. Warehouse scanners lose the WMS connection each time. Started after the ISP swapped the warehouse modem.',
      tried: [
        { action: 'Restarted the tunnel from the FortiGate GUI', outcome: 'failed', at: minutesAgo(now, 25) },
        {
          action: 'Checked phase 1 and phase 2 proposals match on both ends',
          outcome: 'worked',
          note: 'They match',
          at: minutesAgo(now, 18),
        },
        { action: 'Power-cycled the new ISP modem', outcome: 'unknown', at: minutesAgo(now, 9) },
      ],
      context: {
        client: 'Contoso Logistics',
        device: 'FGT-60F HQ / FGT-40F Warehouse',
        ticketUrl: 'https://psa.example.com/tickets/48220',
      },
    },
    {
      priority: 'normal',
      title: 'Print spooler crashes in a loop on the front-desk PC',
      problemSummary:
        'Spooler service starts, crashes within a minute, restarts. Users at reception cannot print labels. Event log shows faulting module in a vendor print processor DLL.',
      tried: [
        {
          action: 'Restarted the Print Spooler service',
          outcome: 'partial',
          note: 'Printed one page, then crashed again',
          at: minutesAgo(now, 14),
        },
        {
          action: 'Cleared C:\\Windows\\System32\\spool\\PRINTERS',
          outcome: 'failed',
          at: minutesAgo(now, 10),
        },
      ],
      context: {
        client: 'Fabrikam Dental',
        device: 'FAB-RECEPTION-01',
        ticketUrl: 'https://psa.example.com/tickets/48227',
      },
    },
  ];
}
