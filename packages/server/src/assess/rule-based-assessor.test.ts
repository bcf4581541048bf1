import type { StepOutcome } from '@resolutionflow/types';
import { describe, expect, it } from 'vitest';
import type { AssessmentInput } from './assessor.js';
import { RULE_BASED_MODEL, RuleBasedAssessor } from './rule-based-assessor.js';

const AT = '2026-11-20T14:05:00Z';
const step = (action: string, outcome: StepOutcome = 'failed', note?: string) => ({
  action,
  outcome,
  at: AT,
  ...(note ? { note } : {}),
});
const assess = (input: AssessmentInput) => new RuleBasedAssessor().assess(input);

const outlook = (
  tried = [step('Cleared cached credentials in Credential Manager'), step('Created a new Outlook profile')],
) => ({
  title: 'Outlook prompts for credentials after M365 migration',
  problemSummary:
    'Since moving the tenant to M365 last week, Outlook on three laptops asks for the password every few minutes. OWA works.',
  tried,
  context: { client: 'Northwind', device: 'NW-LT-0142' },
});

const vpn: AssessmentInput = {
  title: 'Site-to-site VPN to the branch keeps flapping',
  problemSummary:
    'Since the ISP swapped the modem on Monday the IPsec tunnel drops every 10-20 minutes and comes back by itself.',
  tried: [step('Restarted both firewalls'), step('Put the modem in bridge mode', 'partial')],
  context: { client: 'Contoso' },
};

const spooler: AssessmentInput = {
  title: 'Print spooler stops on the front-desk PC',
  problemSummary: 'Every morning the queue stalls and the service has stopped.',
  tried: [step('Restarted the service')],
  context: { device: 'FD-PC-01' },
};

const unmatched: AssessmentInput = {
  title: 'Teams camera shows a black screen',
  problemSummary: 'The webcam works in the Camera app but is black in Teams meetings.',
  tried: [step('Updated the webcam driver')],
  context: { device: 'NW-LT-0007' },
};

describe('RuleBasedAssessor', () => {
  it('should blame stale M365 tokens for an Outlook credential prompt and skip the profile rebuild already tried', async () => {
    expect(await assess(outlook())).toEqual({
      likelyCause: expect.stringMatching(/modern-authentication tokens.*autodiscover/i),
      confidence: 0.9,
      nextSteps: [
        'Sign out of all Office apps, then remove the work account under Settings › Accounts › Access work or school.',
        'Clear the AAD broker cache (%LOCALAPPDATA%\\Packages\\Microsoft.AAD.BrokerPlugin_*) with Outlook closed.',
        'Check autodiscover: Ctrl+right-click the Outlook tray icon › Test E-mail AutoConfiguration.',
        'If it persists, test the mailbox in a clean Windows user profile to separate user from mailbox.',
      ],
      model: RULE_BASED_MODEL,
    });
  });

  it('should suggest the fresh Outlook profile step only while no new profile was tried', async () => {
    const fresh = 'Create a fresh Outlook profile only after the token cache is clear.';
    const untried = await assess(outlook([step('Cleared cached credentials in Credential Manager')]));
    expect(untried.nextSteps).toContain(fresh);
    expect(untried.nextSteps).toHaveLength(5);
    expect((await assess(outlook())).nextSteps).not.toContain(fresh);
  });

  it('should read tried-step notes when leaving steps out', async () => {
    const withNote = await assess(
      outlook([
        step(
          'Checked mail settings',
          'unknown',
          'Ran Test E-mail AutoConfiguration, autodiscover looked fine',
        ),
      ]),
    );
    expect(withNote.nextSteps.some((text) => text.startsWith('Check autodiscover'))).toBe(false);
    expect(withNote.nextSteps.some((text) => text.startsWith('Create a fresh Outlook profile'))).toBe(true);
  });

  it('should point a flapping VPN at the new modem path and leave out bridge mode once tried', async () => {
    const result = await assess(vpn);
    expect(result.likelyCause).toMatch(/NAT path changed/);
    expect(result.confidence).toBe(0.9);
    expect(result.nextSteps).toEqual([
      'Enable NAT traversal on both ends and compare DPD intervals and retry counts.',
      'Run the IKE debug on both firewalls through one flap and look for peer-address or DPD timeouts.',
      'Check phase 1 and phase 2 proposals and key lifetimes match on both ends.',
      'Ask the ISP whether the line is CGNAT; if so, request a static public IP.',
    ]);
  });

  it('should name a crashing print driver for a stopping spooler with a confidence that reflects a weak match', async () => {
    expect(await assess(spooler)).toEqual({
      likelyCause: expect.stringMatching(/printer driver.*spoolsv\.exe/),
      confidence: 0.77,
      nextSteps: [
        'Find the faulting module in Event Viewer (Application, event 1000) to name the driver.',
        'In Print Management, set the driver to run isolated, or switch the queue to the Microsoft class driver.',
        'Remove the vendor print processor from HKLM\\SYSTEM\\CurrentControlSet\\Control\\Print\\Environments.',
        'Clear the spool folder with the service stopped, then reinstall the current driver package.',
      ],
      model: RULE_BASED_MODEL,
    });
  });

  it('should fall back honestly with confidence 0.25 when nothing matches', async () => {
    expect(await assess(unmatched)).toEqual({
      likelyCause: 'Not enough signal for a specific cause: the summary does not match a known pattern.',
      confidence: 0.25,
      nextSteps: [
        'Reproduce the problem with the user and note the exact error text.',
        'Check the relevant event logs around the time it started.',
        'List what changed recently (updates, migrations, new hardware) and test rolling back the latest change.',
      ],
      model: RULE_BASED_MODEL,
    });
  });

  it('should give the same answer for the same input, across calls and instances', async () => {
    for (const input of [outlook(), vpn, spooler, unmatched]) {
      const first = await assess(input);
      expect(await assess(structuredClone(input))).toEqual(first);
      expect(await new RuleBasedAssessor().assess(input)).toEqual(first);
    }
  });

  it('should keep confidence within 0…1 and at most five next steps', async () => {
    for (const input of [outlook([]), vpn, spooler, unmatched]) {
      const result = await assess(input);
      expect(result.confidence).toBeGreaterThan(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
      expect(result.nextSteps.length).toBeGreaterThan(0);
      expect(result.nextSteps.length).toBeLessThanOrEqual(5);
    }
  });
});
