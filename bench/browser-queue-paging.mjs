/* global document, window, requestAnimationFrame -- functions passed to page.evaluate run in the page. */
// Browser: <escalation-queue> with 1,000 open escalations in the database, loaded the way a senior
// loads them: the first page of the `open` view, then "Show more" until every one is shown (no model
// set by hand). Two figures, each against a plain-DOM baseline in the same page and run:
//   first page  a new <escalation-queue> is appended to the demo page (Sam's token); timed from the
//               append (connectedCallback) until its first card is in the shadow root and the next
//               frame ran. Baseline: the same page's fetch() of the first page (`view=open&limit=50`)
//               drawn as plain <li>s, timed the same way. Goal: p95 ≤ 150 ms.
//   insert      with the 1,000 (and the demo's seeded ones) loaded, a real escalation is created from
//               the page (fetch POST); the queue's updates (performUpdate: render + commit) are timed
//               until the card is in. The first update inserts the card; the counts, read again
//               300 ms later, cause a second one (reported apart). Baseline: one <li> created and
//               inserted at its sorted position into 1,000 plain <li>s. Goal: insert p50 ≤ 4 ms.
// Server: demo mode, assessor off (no `handoff.assessed` re-render inside a sample), temp SQLite.
// Usage: node bench/browser-queue-paging.mjs [escalations]   (BENCH_QUEUE_ESCALATIONS=1000)
import { openLiveQueue, tokenInPage, twoFrames, withDemoBrowser } from './lib/browser.mjs';
import { escalationBody } from './lib/setup.mjs';
import { fmt, pace, percentile, printTable } from './lib/stats.mjs';

const FIRST_PAGE_SAMPLES = 12;
const INSERT_SAMPLES = 12;
const GOAL_FIRST_PAGE_P95_MS = 150;
const GOAL_INSERT_P50_MS = 4;

/** Creates `count` open escalations through the API, 20 at a time. */
async function seed(alex, count) {
  for (let done = 0; done < count; done += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, count - done) }, (_, i) =>
        alex.post('/v1/handoffs', { ...escalationBody(done + i), title: `Paged escalation #${done + i}` }),
      ),
    );
  }
}

/** In the page: appends a new queue and resolves with ms from the append to its first card painted. */
function timeFirstPage() {
  return new Promise((resolve, reject) => {
    const queue = document.createElement('escalation-queue');
    queue.getToken = () => window.__benchSam;
    queue.leaveDelay = 0;
    const t0 = performance.now();
    document.body.append(queue);
    const timeout = setTimeout(() => reject(new Error('no card within 10 s')), 10_000);
    const check = () => {
      if (queue.shadowRoot?.querySelector('[part~="card"]')) {
        requestAnimationFrame(() => {
          const ms = performance.now() - t0;
          clearTimeout(timeout);
          queue.remove();
          resolve(ms);
        });
      } else requestAnimationFrame(check);
    };
    check();
  });
}

/** In the page: the baseline, the same first page fetched and drawn as plain <li>s. */
async function timeFirstPageBaseline() {
  const t0 = performance.now();
  const response = await fetch('/v1/handoffs?view=open&limit=50', {
    headers: { Authorization: `Bearer ${window.__benchSam}` },
  });
  const { items } = await response.json();
  const host = document.createElement('div');
  const list = document.createElement('ul');
  for (const handoff of items) {
    const li = document.createElement('li');
    const title = document.createElement('h3');
    title.textContent = handoff.title;
    const meta = document.createElement('p');
    meta.textContent = `Escalated by ${handoff.createdBy.name}`;
    const button = document.createElement('button');
    button.textContent = 'Pick up';
    li.append(title, meta, button);
    list.append(li);
  }
  host.append(list);
  document.body.append(host);
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const ms = performance.now() - t0;
  host.remove();
  return ms;
}

/** In the page: "Show more" until the queue shows `atLeast` cards; resolves with the count shown. */
async function loadEveryPage(atLeast) {
  const root = document.querySelector('escalation-queue').shadowRoot;
  const deadline = performance.now() + 120_000;
  for (;;) {
    const cards = root.querySelectorAll('[part~="card"]').length;
    const more = root.querySelector('[part~="more-button"]');
    if (!more && cards >= atLeast) return cards;
    if (performance.now() > deadline) throw new Error(`only ${cards} cards after 120 s`);
    if (more && !more.disabled) more.click();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** In the page: times every queue update (performUpdate) from now on into window.__benchUpdates. */
function watchUpdates() {
  const queue = document.querySelector('escalation-queue');
  const updates = [];
  const original = queue.performUpdate;
  queue.performUpdate = function (...args) {
    const t0 = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      updates.push(performance.now() - t0);
    }
  };
  window.__benchUpdates = updates;
}

/** In the page: creates an escalation and resolves once its card is in the queue and 500 ms passed. */
async function createAndWait(body) {
  const root = document.querySelector('escalation-queue').shadowRoot;
  window.__benchUpdates.splice(0);
  const response = await fetch('/v1/handoffs', {
    method: 'POST',
    headers: { Authorization: `Bearer ${window.__benchAlex}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { id } = await response.json();
  const deadline = performance.now() + 10_000;
  while (![...root.querySelectorAll('h3[part~="title"]')].some((node) => node.textContent === body.title)) {
    if (performance.now() > deadline) return { id, timedOut: true };
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  // Past the counts' debounced read (300 ms), so its update is in the sample too.
  await new Promise((resolve) => setTimeout(resolve, 600));
  return { id, updates: window.__benchUpdates.splice(0) };
}

/** In the page: the baseline insert, one <li> into `count` plain ones at its sorted place. */
function timeDomInsert(count) {
  const list = document.createElement('ul');
  const keys = Array.from({ length: count }, (_, i) => i * 2);
  for (const key of keys) {
    const li = document.createElement('li');
    li.textContent = `Card ${key}`;
    list.append(li);
  }
  document.body.append(list);
  list.getBoundingClientRect();
  const key = count + 1;
  const t0 = performance.now();
  const index = keys.findIndex((other) => key < other);
  const li = document.createElement('li');
  const title = document.createElement('h3');
  title.textContent = `Card ${key}`;
  li.append(title);
  list.insertBefore(li, list.children[index] ?? null);
  const ms = performance.now() - t0;
  list.remove();
  return ms;
}

export function browserQueuePaging(count = Number(process.env.BENCH_QUEUE_ESCALATIONS ?? 1000)) {
  return withDemoBrowser({ AI_PROVIDER: 'off' }, async ({ server, browser, alex }) => {
    await seed(alex, count);
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await openLiveQueue(page, server.url);
      await tokenInPage(page, 'sam', '__benchSam');
      await tokenInPage(page, 'alex', '__benchAlex');

      const first = { widget: [], dom: [] };
      await page.evaluate(timeFirstPage); // warm-up
      await page.evaluate(timeFirstPageBaseline);
      for (let i = 0; i < FIRST_PAGE_SAMPLES; i++) {
        await twoFrames(page);
        first.widget.push(await page.evaluate(timeFirstPage));
        await twoFrames(page);
        first.dom.push(await page.evaluate(timeFirstPageBaseline));
        await pace(100);
      }

      const loaded = await page.evaluate(loadEveryPage, count);
      await page.evaluate(watchUpdates);
      const insert = { first: [], counts: [], dom: [], updates: [] };
      for (let i = 0; i < INSERT_SAMPLES + 1; i++) {
        await twoFrames(page);
        const body = { ...escalationBody(count + i), title: `Live insert #${i}` };
        const result = await page.evaluate(createAndWait, body);
        insert.dom.push(await page.evaluate(timeDomInsert, loaded));
        if (result.id) await alex.post(`/v1/handoffs/${result.id}/cancel`);
        await pace(700); // the cancel's own updates settle outside the next sample
        if (i === 0 || result.timedOut) continue; // warm-up
        insert.first.push(result.updates[0]);
        insert.counts.push(Math.max(0, ...result.updates.slice(1)));
        insert.updates.push(result.updates.length);
      }

      const p = (values, q) => percentile(values, q);
      const row = (measure, values, baseline, goal) => ({
        measure,
        samples: values.length,
        'p50 ms': fmt(p(values, 50), 2),
        'p95 ms': fmt(p(values, 95), 2),
        'min ms': fmt(Math.min(...values), 2),
        'p50 ratio': baseline ? `${fmt(p(values, 50) / p(baseline, 50), 1)}×` : '',
        goal: goal ?? '',
      });
      const firstP95 = p(first.widget, 95);
      const insertP50 = p(insert.first, 50);
      const rows = [
        row('plain DOM: fetch first page + draw (baseline)', first.dom, first.dom),
        row(
          '<escalation-queue>: connect → first page painted',
          first.widget,
          first.dom,
          `p95 ≤ ${GOAL_FIRST_PAGE_P95_MS} ms: ${firstP95 <= GOAL_FIRST_PAGE_P95_MS ? 'met' : 'MISSED'}`,
        ),
        row(`plain DOM: insert 1 <li> into ${loaded} (baseline)`, insert.dom, insert.dom),
        row(
          `<escalation-queue>: insert 1 card into ${loaded} (script)`,
          insert.first,
          insert.dom,
          `p50 ≤ ${GOAL_INSERT_P50_MS} ms: ${insertP50 <= GOAL_INSERT_P50_MS ? 'met' : 'MISSED'}`,
        ),
        row(`<escalation-queue>: counts update with ${loaded + 1} cards (script)`, insert.counts, insert.dom),
      ];
      printTable(
        `Browser: ${count} open escalations loaded through the open view's paging (${loaded} cards shown; Chromium ${browser.version()})`,
        rows,
      );
      console.log(`Queue updates per arrival: ${[...new Set(insert.updates)].join('/')}.`);
      return rows;
    } finally {
      await context.close();
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2]);
  await browserQueuePaging(count > 0 ? count : undefined);
}
