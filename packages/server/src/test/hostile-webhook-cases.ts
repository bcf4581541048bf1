import {
  create,
  deep,
  deepArray,
  escalationWith,
  settings,
  stored,
  type HostileCase,
} from './hostile-case.js';

/** A hostile request to the webhook routes as the account's API key. */
const hook = (
  name: string,
  method: HostileCase['method'],
  path: string,
  body?: string,
  statuses?: number[],
): HostileCase => ({
  category: 'webhooks and policy',
  name,
  method,
  path,
  as: 'apiKey',
  ...(body === undefined ? {} : { body }),
  verdict: 'reject',
  ...(statuses ? { statuses } : {}),
});

const validHook = { url: 'https://psa-bridge.example.com/hooks' };
const hookWith = (patch: Record<string, unknown>) => JSON.stringify({ ...validHook, ...patch });
const policyWith = (unclaimed: unknown, claimedNotStarted: unknown = []) =>
  JSON.stringify({ policy: { unclaimed, claimedNotStarted } });

/** The routes of issue 16: `/v1/webhooks`, the policy in settings, and `externalRef` at create. */
export function webhookCases(): HostileCase[] {
  const ids = ["'%20OR%201=1--", '..%2F..%2Fetc%2Fpasswd', '%0D%0ASet-Cookie:%20x=y', '%00', 'x'.repeat(300)];
  const c = 'webhooks and policy';
  return [
    hook('a javascript: URL', 'POST', '/v1/webhooks', hookWith({ url: 'javascript:alert(1)' })),
    hook('a data: URL', 'POST', '/v1/webhooks', hookWith({ url: 'data:text/html,<script>x</script>' })),
    hook('a file: URL', 'POST', '/v1/webhooks', hookWith({ url: 'file:///etc/passwd' })),
    hook('a gopher: URL', 'POST', '/v1/webhooks', hookWith({ url: 'gopher://127.0.0.1:25/' })),
    hook('a URL with CRLF', 'POST', '/v1/webhooks', hookWith({ url: 'https://a.example/\r\nX-Injected: 1' })),
    hook(
      'a URL of 3,000 characters',
      'POST',
      '/v1/webhooks',
      hookWith({ url: `https://a.example/${'a'.repeat(3000)}` }),
    ),
    hook('a URL as a number', 'POST', '/v1/webhooks', hookWith({ url: 42 })),
    hook('no URL', 'POST', '/v1/webhooks', '{}'),
    hook('an unknown event type', 'POST', '/v1/webhooks', hookWith({ events: ['handoff.exploded'] })),
    hook('an empty event list', 'POST', '/v1/webhooks', hookWith({ events: [] })),
    hook(
      'events 10,000 deep',
      'POST',
      '/v1/webhooks',
      `{"url":"https://a.example/h","events":${deepArray(10_000)}}`,
    ),
    hook('an unknown kind', 'POST', '/v1/webhooks', hookWith({ kind: 'discord' })),
    hook('a line break in the description', 'POST', '/v1/webhooks', hookWith({ description: 'a\nb' })),
    hook('a secret chosen by the caller', 'POST', '/v1/webhooks', hookWith({ secret: 'whsec_AAAA' })),
    hook(
      '__proto__ in the body',
      'POST',
      '/v1/webhooks',
      `{"__proto__":{"enabled":false},"url":"https://a.example/h"}`,
    ),
    hook('objects 10,000 deep', 'POST', '/v1/webhooks', deep(10_000)),
    ...ids.flatMap((id) => [
      hook(`GET webhook ${id.slice(0, 24)}`, 'GET', `/v1/webhooks/${id}`),
      hook(`PATCH webhook ${id.slice(0, 24)}`, 'PATCH', `/v1/webhooks/${id}`, '{"enabled":true}'),
      hook(`DELETE webhook ${id.slice(0, 24)}`, 'DELETE', `/v1/webhooks/${id}`),
      hook(`rotate webhook ${id.slice(0, 24)}`, 'POST', `/v1/webhooks/${id}/rotate-secret`),
      hook(`test webhook ${id.slice(0, 24)}`, 'POST', `/v1/webhooks/${id}/test`),
      hook(`redeliver ${id.slice(0, 24)}`, 'POST', `/v1/webhooks/wh_none/deliveries/${id}/redeliver`),
    ]),
    hook('PATCH enabled as a string', 'PATCH', '/v1/webhooks/wh_none', '{"enabled":"yes"}'),
    hook('PATCH an unknown field', 'PATCH', '/v1/webhooks/wh_none', '{"consecutiveFailures":0}'),
    hook('a negative delivery limit', 'GET', '/v1/webhooks/wh_none/deliveries?limit=-1'),
    hook('a delivery limit of 10^9', 'GET', '/v1/webhooks/wh_none/deliveries?limit=1000000000'),
    hook('an unknown delivery status', 'GET', '/v1/webhooks/wh_none/deliveries?status=evil'),
    { ...hook('webhooks as a technician', 'GET', '/v1/webhooks'), as: 'technician', statuses: [403] },
    settings(
      c,
      'policy seconds of 1e999',
      '{"policy":{"unclaimed":[{"afterSeconds":1e999,"notify":"engineers"}],"claimedNotStarted":[]}}',
      'reject',
    ),
    settings(c, 'policy seconds negative', policyWith([{ afterSeconds: -5, notify: 'engineers' }]), 'reject'),
    settings(
      c,
      'policy seconds fractional',
      policyWith([{ afterSeconds: 1.5, notify: 'engineers' }]),
      'reject',
    ),
    settings(
      c,
      'policy seconds as text',
      policyWith([{ afterSeconds: '60', notify: 'engineers' }]),
      'reject',
    ),
    settings(
      c,
      'policy seconds over a week',
      policyWith([{ afterSeconds: 604_801, notify: 'admins' }]),
      'reject',
    ),
    settings(
      c,
      'eleven policy steps',
      policyWith(Array.from({ length: 11 }, (_, n) => ({ afterSeconds: n + 1, notify: 'engineers' }))),
      'reject',
    ),
    settings(
      c,
      'a policy step with __proto__',
      '{"policy":{"unclaimed":[{"__proto__":{"x":1},"afterSeconds":5,"notify":"admins"}],"claimedNotStarted":[]}}',
      'reject',
    ),
    settings(
      c,
      'a policy nested 10,000 deep',
      `{"policy":{"unclaimed":${deepArray(10_000)},"claimedNotStarted":[]}}`,
      'reject',
    ),
    settings(c, 'a policy without its lists', '{"policy":{}}', 'reject'),
    settings(c, 'a policy action unknown', policyWith([], [{ afterSeconds: 5, action: 'delete' }]), 'reject'),
    create(
      c,
      'externalRef system with spaces',
      escalationWith(['externalRef'], { system: 'Connect Wise', id: '1' }),
      'reject',
    ),
    create(
      c,
      'externalRef id with CRLF',
      escalationWith(['externalRef'], { system: 'autotask', id: '1\r\n2' }),
      'reject',
    ),
    create(
      c,
      'externalRef with an extra field',
      escalationWith(['externalRef'], { system: 'halopsa', id: '1', url: 'x' }),
      'reject',
    ),
    create(c, 'externalRef as text', escalationWith(['externalRef'], 'connectwise:1'), 'reject'),
    create(
      c,
      'externalRef accepted as sent',
      escalationWith(['externalRef'], { system: 'halopsa', id: 'T-1042' }),
      'accept',
      stored(['externalRef'], { system: 'halopsa', id: 'T-1042' }),
    ),
  ];
}
