/* global document, window -- functions passed to page.evaluate run in the page. */
// Browser: escalate → card painted, p50/p95 over 50 escalations (Playwright, Debian's Chromium),
// against a raw-stream page measured in the same run on the same server.
//
// Server: the built server in demo mode (bench/lib/demo.mjs) on a temp SQLite file, rule-based
// assessor on. Pages, one at a time, alternating in blocks of 10 so that background load on the
// machine falls on both alike, each block in a fresh browser context:
//   widget    the demo page `/?view=senior`: <escalation-queue open-context> from the script-tag
//             build, live stream open (status "live"), the seeded open escalations shown.
//   raw       a blank page of the same origin reading GET /v1/stream with fetch() and a
//             ReadableStream reader (Authorization header), appending a <div> with the title per
//             `handoff.created` event: the floor for "an event arrives and something is drawn".
// Each sample, in the page: t0 = performance.now(); fetch POST /v1/handoffs (Alex's token); a
// MutationObserver on the queue's shadow root (or the <div>s' parent) sees the element with that
// exact title; the next requestAnimationFrame callback is t1 (the frame that paints it). Arrival =
// t1 − t0. The 201's own round trip is reported beside it. Each escalation is cancelled (from
// Node) after it is measured, so the queue keeps its size; 2 warm-ups per block are not counted.
// Usage: node bench/browser-arrival.mjs [count]   (BENCH_ESCALATIONS=50)
import { alternateBlocks, openBenchPage, tokenInPage, withDemoBrowser } from './lib/browser.mjs';
import { escalationBody } from './lib/setup.mjs';
import { fmt, percentile, printTable } from './lib/stats.mjs';

const GOAL_P95_MS = 150;

const RAW_PAGE =
  '<!doctype html><html lang="en"><head><title>raw stream</title></head><body><div id="bench-list"></div></body></html>';

/** Opens one page of `kind` and waits until it is listening to the stream. */
export async function openArrivalPage(browser, url, kind) {
  const bench = await openBenchPage(browser, url, kind, RAW_PAGE);
  if (kind === 'raw') {
    await bench.page.evaluate(async () => {
      const token = async (persona) => (await (await fetch(`/demo/token?persona=${persona}`)).json()).token;
      const list = document.getElementById('bench-list');
      const response = await fetch('/v1/stream', {
        headers: { Authorization: `Bearer ${await token('sam')}`, Accept: 'text/event-stream' },
      });
      if (!response.ok) throw new Error(`stream answered ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let opened;
      const first = new Promise((resolve) => (opened = resolve));
      void (async () => {
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          opened();
          buffer += value;
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = 'message';
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data += line.slice(5).trimStart();
            }
            if (event !== 'handoff.created') continue;
            const div = document.createElement('div');
            div.textContent = JSON.parse(data).handoff.title;
            list.append(div);
          }
        }
      })();
      await first;
    });
  }
  await tokenInPage(bench.page, 'alex', '__benchAlex');
  return bench;
}

/**
 * In the page: creates an escalation and resolves when the element carrying its title exists
 * and the next animation frame runs. `where` is 'widget' (the queue's shadow root, card titles)
 * or 'raw' (the <div>s).
 */
export function createAndTimeArrival({ body, where, timeoutMs }) {
  const root =
    where === 'widget'
      ? document.querySelector('escalation-queue').shadowRoot
      : document.getElementById('bench-list');
  const selector = where === 'widget' ? 'h3[part~="title"]' : 'div';
  const has = () => {
    for (const element of root.querySelectorAll(selector))
      if (element.textContent.trim() === body.title) return true;
    return false;
  };
  const painted = window.__rfWatch({
    roots: () => [root],
    milestones: { painted: has },
    timeoutMs,
    options: { childList: true, subtree: true, characterData: true },
  });
  const t0 = performance.now();
  const created = fetch('/v1/handoffs', {
    method: 'POST',
    headers: { Authorization: `Bearer ${window.__benchAlex}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => {
    const answered = performance.now();
    const json = await response.json();
    if (!response.ok) throw new Error(`create answered ${response.status}: ${JSON.stringify(json)}`);
    return { id: json.id, answered };
  });
  created.catch(() => painted.stop());
  return Promise.all([painted, created]).then(([frame, { id, answered }]) =>
    frame.timedOut ? { id, timedOut: true } : { id, arrival: frame.painted - t0, answered: answered - t0 },
  );
}

export function browserArrival(count = Number(process.env.BENCH_ESCALATIONS ?? 50)) {
  return withDemoBrowser({}, async ({ server, browser, alex }) => {
    const { samples, missing } = await alternateBlocks({
      count,
      open: (kind) => openArrivalPage(browser, server.url, kind),
      async sample(page, kind, n) {
        const body = { ...escalationBody(n), title: `Bench arrival ${kind} #${n}` };
        const result = await page.evaluate(createAndTimeArrival, { body, where: kind, timeoutMs: 10_000 });
        if (result.id) await alex.post(`/v1/handoffs/${result.id}/cancel`);
        return result;
      },
    });
    const summary = (kind) => {
      const arrivals = samples[kind].map((s) => s.arrival);
      return {
        n: arrivals.length,
        p50: percentile(arrivals, 50),
        p95: percentile(arrivals, 95),
        max: Math.max(...arrivals),
        answered: percentile(
          samples[kind].map((s) => s.answered),
          50,
        ),
      };
    };
    const raw = summary('raw');
    const widget = summary('widget');
    const rows = [
      { page: 'raw stream reader + <div> (baseline)', ...raw, missing: missing.raw, goal: '' },
      {
        page: '<escalation-queue>, demo page',
        ...widget,
        missing: missing.widget,
        goal: `p95 ≤ ${GOAL_P95_MS} ms: ${widget.p95 <= GOAL_P95_MS && missing.widget === 0 ? 'met' : 'MISSED'}`,
      },
    ].map((row) => ({
      page: row.page,
      samples: row.n,
      missing: row.missing,
      'p50 ms': fmt(row.p50),
      'p95 ms': fmt(row.p95),
      'max ms': fmt(row.max),
      'p50 ratio': `${fmt(row.p50 / raw.p50, 2)}×`,
      'p95 ratio': `${fmt(row.p95 / raw.p95, 2)}×`,
      '201 answered p50 ms': fmt(row.answered),
      goal: row.goal,
    }));
    printTable(
      `Browser: escalate → card painted (${count} escalations each, Chromium ${browser.version()})`,
      rows,
    );
    return rows;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2]);
  await browserArrival(count > 0 ? count : undefined);
}
