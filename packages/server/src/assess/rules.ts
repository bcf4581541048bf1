/** A known problem pattern of MSP help desks. */
export interface AssessmentRule {
  /** Lower-case words or phrases that point at this pattern. */
  keywords: string[];
  cause: string;
  /** Suggested next steps; a step is left out when a tried step mentions one of `skipIfTried`. */
  steps: { text: string; skipIfTried?: string[] }[];
}

/** Patterns the built-in assessor knows, most specific first. */
export const ASSESSMENT_RULES: AssessmentRule[] = [
  {
    keywords: [
      'outlook',
      'profile',
      'password prompt',
      'prompts for credentials',
      'credential',
      'm365',
      'migration',
      'autodiscover',
    ],
    cause:
      'Stale modern-authentication tokens or an autodiscover mismatch left over from the tenant change: Outlook keeps presenting the old identity.',
    steps: [
      {
        text: 'Sign out of all Office apps, then remove the work account under Settings › Accounts › Access work or school.',
        skipIfTried: ['access work'],
      },
      {
        text: 'Clear the AAD broker cache (%LOCALAPPDATA%\\Packages\\Microsoft.AAD.BrokerPlugin_*) with Outlook closed.',
        skipIfTried: ['broker'],
      },
      {
        text: 'Check autodiscover: Ctrl+right-click the Outlook tray icon › Test E-mail AutoConfiguration.',
        skipIfTried: ['autodiscover', 'autoconfiguration'],
      },
      {
        text: 'Create a fresh Outlook profile only after the token cache is clear.',
        skipIfTried: ['new outlook profile', 'new profile'],
      },
      {
        text: 'If it persists, test the mailbox in a clean Windows user profile to separate user from mailbox.',
      },
    ],
  },
  {
    keywords: [
      'vpn',
      'ipsec',
      'tunnel',
      'flapping',
      'site-to-site',
      'phase 1',
      'phase 2',
      'fortigate',
      'modem',
    ],
    cause:
      'The tunnel peer address or NAT path changed (a new ISP modem often adds NAT or a new public IP), so dead-peer detection drops the SA and it renegotiates.',
    steps: [
      {
        text: 'Confirm the new modem is in bridge mode and the firewall holds the public IP (no double NAT).',
        skipIfTried: ['bridge'],
      },
      {
        text: 'Enable NAT traversal on both ends and compare DPD intervals and retry counts.',
        skipIfTried: ['nat-t', 'nat traversal'],
      },
      {
        text: 'Run the IKE debug on both firewalls through one flap and look for peer-address or DPD timeouts.',
        skipIfTried: ['debug'],
      },
      {
        text: 'Check phase 1 and phase 2 proposals and key lifetimes match on both ends.',
        skipIfTried: ['proposal'],
      },
      { text: 'Ask the ISP whether the line is CGNAT; if so, request a static public IP.' },
    ],
  },
  {
    keywords: ['spooler', 'print', 'printer', 'printing', 'spoolsv'],
    cause:
      'A third-party printer driver or print processor DLL crashes spoolsv.exe as soon as it loads a queued job.',
    steps: [
      {
        text: 'Find the faulting module in Event Viewer (Application, event 1000) to name the driver.',
        skipIfTried: ['event log', 'event viewer'],
      },
      {
        text: 'In Print Management, set the driver to run isolated, or switch the queue to the Microsoft class driver.',
        skipIfTried: ['isolat'],
      },
      {
        text: 'Remove the vendor print processor from HKLM\\SYSTEM\\CurrentControlSet\\Control\\Print\\Environments.',
        skipIfTried: ['print processor'],
      },
      {
        text: 'Clear the spool folder with the service stopped, then reinstall the current driver package.',
        skipIfTried: ['spool\\printers', 'cleared c:'],
      },
    ],
  },
  {
    keywords: ['dns', 'resolve', 'name resolution', 'nslookup', 'dhcp'],
    cause:
      'Clients receive a DNS server that cannot resolve internal names (DHCP option or forwarder change).',
    steps: [
      {
        text: 'Compare ipconfig /all on a failing and a working client: DNS servers and suffix.',
        skipIfTried: ['ipconfig'],
      },
      {
        text: 'Run nslookup against each configured DNS server for an internal and an external name.',
        skipIfTried: ['nslookup'],
      },
      { text: 'Check DHCP scope option 006 and the DNS forwarders for recent changes.' },
    ],
  },
  {
    keywords: ['bitlocker', 'recovery key', 'tpm'],
    cause: 'A firmware or TPM change made BitLocker fall back to the recovery key.',
    steps: [
      {
        text: 'Retrieve the recovery key from Entra ID / Intune or AD for this device.',
        skipIfTried: ['recovery key'],
      },
      {
        text: 'After unlocking, suspend and resume BitLocker to reseal against the current TPM measurements.',
      },
      { text: 'Check for a pending BIOS update that changed PCR measurements.' },
    ],
  },
  {
    keywords: ['quota', 'mailbox full', 'disk full', 'low disk', 'out of space', 'storage'],
    cause: 'The mailbox or disk reached its quota, so new writes are refused.',
    steps: [
      { text: 'Check current usage against the quota and what grew recently.' },
      { text: 'Enable the archive or clean up the largest folders with the user.' },
      { text: 'Raise the quota only if the licence allows it.' },
    ],
  },
  {
    keywords: ['locked out', 'lockout', 'mfa', 'authenticator', 'sign-in', 'sign in'],
    cause: 'Repeated failed sign-ins from a stale credential on another device are locking the account.',
    steps: [
      { text: 'Find the lockout source in the sign-in logs (device and IP).' },
      { text: 'Remove the stale credential on that device, then unlock the account.' },
      { text: 'Re-register MFA if the method changed.' },
    ],
  },
];

/** When nothing matches: honest about low confidence, still useful. */
export const FALLBACK_RULE: AssessmentRule = {
  keywords: [],
  cause: 'Not enough signal for a specific cause: the summary does not match a known pattern.',
  steps: [
    { text: 'Reproduce the problem with the user and note the exact error text.' },
    { text: 'Check the relevant event logs around the time it started.' },
    {
      text: 'List what changed recently (updates, migrations, new hardware) and test rolling back the latest change.',
    },
  ],
};
