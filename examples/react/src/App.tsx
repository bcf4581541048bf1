// Defines the three elements (guarded, so a second copy on the page is harmless)
// and brings in their React 19 JSX types: props and `onrf-…` events are typed.
import '@resolutionflow/widget/define';
import type {} from '@resolutionflow/widget/react';
import { useCallback, useState } from 'react';
import './app.css';

declare const __RF_API__: string;

/** Your backend mints embed tokens; the widget calls this at start, on a 401 and when a stream expires. */
async function getToken(): Promise<string> {
  const response = await fetch('/rf-token');
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

export function App() {
  const [status, setStatus] = useState('connecting');
  const [started, setStarted] = useState<string | null>(null);

  const onStart = useCallback((event: CustomEvent<{ handoff: { id: string; title: string } }>) => {
    // Where a real portal opens its own remote-session view for the handoff.
    setStarted(event.detail.handoff.title);
  }, []);

  return (
    <main>
      <h1>Escalations</h1>
      <p>
        Live connection: <strong>{status}</strong>
        {started && <> · started work on “{started}”</>}
      </p>
      <escalation-queue
        api-base={__RF_API__}
        getToken={getToken}
        open-context
        onrf-connection-change={(event) => setStatus(event.detail.status)}
        onrf-claim={(event) => {
          // Cancelable: a host could veto a claim here, e.g. outside working hours.
          console.info('claiming', event.detail.handoff.id);
        }}
        onrf-start={onStart}
      />
      <h2>This month</h2>
      <escalation-metrics api-base={__RF_API__} getToken={getToken} period="30d" />
    </main>
  );
}
