import type { Role } from '@resolutionflow/types';

/** The demo's people: a junior, two seniors and the owner. */
export const DEMO_PERSONAS = {
  alex: { id: 'demo-alex', name: 'Alex Kim', email: 'alex@demo-msp.example', role: 'technician' },
  sam: { id: 'demo-sam', name: 'Sam Rivera', email: 'sam@demo-msp.example', role: 'engineer' },
  jordan: { id: 'demo-jordan', name: 'Jordan Lee', email: 'jordan@demo-msp.example', role: 'engineer' },
  priya: { id: 'demo-priya', name: 'Priya Shah', email: 'priya@demo-msp.example', role: 'admin' },
} as const satisfies Record<string, { id: string; name: string; email: string; role: Role }>;

export type DemoPersona = keyof typeof DEMO_PERSONAS;

/** The demo account's fixed id, so restarts find it again. */
export const DEMO_ACCOUNT_ID = '00000000-0000-4000-8000-00000000de70';
