/* global document, window -- functions passed to page.evaluate run in the page. */
// Browser: "Pick up" → handoff context fully rendered, p50/p95 over 30 handoffs (Playwright,
// Debian's Chromium), against a raw page measured in the same run on the same server.
//
// Server: the built server in demo mode on a temp SQLite file, rule-based assessor on. Each handoff
// is created from Node as Alex and polled until its assessment is in (so the assessment is part of
// the handoff being picked up, not a race with the AI). Pages alternate in blocks of 10, one at a
// time, each in a fresh browser context:
//   widget    the demo page `/?view=senior` (<escalation-queue open-context>, Sam). The card must
//             show its assessment and an enabled "Pick up" before the clock starts. Timed in the
//             page: t0 = performance.now(); the card's "Pick up" button is clicked (element.click());
//             MutationObservers on the queue's shadow root and on the inline <handoff-context>'s
//             shadow root watch for: the handoff's title, all four sections (summary, tried,
//             assessment, start) and the assessment's content (ready or unavailable). The next
//             requestAnimationFrame callback is t1. Also recorded: when the "Start here" button
//             appears (it needs the context element's own GET /v1/me), and what the "Start here"
//             section said first. The inline context is closed before the next sample.
//   raw       a blank page of the same origin: t0; fetch POST /v1/handoffs/:id/claim (Sam's
//             token); the four sections built with createElement/textContent from the answer;
//             same observer and frame. The floor for "claim round trip + draw the context".
// 2 warm-ups per block are not counted.
// Usage: node bench/browser-pickup.mjs [count]   (BENCH_HANDOFFS=30)
import { alternateBlocks, openBenchPage, tokenInPage, withDemoBrowser } from './lib/browser.mjs';
import { escalationBody } from './lib/setup.mjs';
import { fmt, pace, percentile, printTable } from './lib/stats.mjs';

const GOAL_P95_MS = 200;

const RAW_PAGE =
  '<!doctype html><html lang="en"><head><title>raw pick-up</title></head><body><div id="bench-context"></div></body></html>';

async function openPage(browser, url, kind) {
  const bench = await openBenchPage(browser, url, kind, RAW_PAGE);
  if (kind === 'raw') await tokenInPage(bench.page, 'sam', '__benchSam');
  return bench;
}

/** Creates a handoff as Alex and waits (bounded) until its assessment is no longer pending. */
async function createAssessed(alex, body) {
  const created = await alex.post('/v1/handoffs', body);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const handoff = await alex.get(`/v1/handoffs/${created.id}`);
    if (handoff.assessment.status !== 'pending') return handoff;
    if (Date.now() > deadline) throw new Error(`assessment of ${created.id} still pending after 10 s`);
    await pace(20);
  }
}

/** In the demo page: clicks the card's "Pick up" and times the inline context until complete. */
function pickUpInQueue({ id, title, timeoutMs }) {
  const queueRoot = document.querySelector('escalation-queue').shadowRoot;
  const button = queueRoot.querySelector(`li[data-id="${id}"] button[part~="claim-button"]`);
  if (!button) throw new Error(`no Pick up button for ${id}`);
  let firstStartText;
  // Each test gets [queue root, context root]; a context showing another handoff does not count.
  const shown = (root) => root?.querySelector('[part~="title"]')?.textContent.trim() === title;
  const complete = (root) =>
    ['summary', 'tried', 'assessment', 'start'].every((name) =>
      root.querySelector(`[part~="section-${name}"]`),
    ) && root.querySelector('[part~="assessment-ready"], [part~="assessment-unavailable"]');
  const watch = window.__rfWatch({
    roots: () => [queueRoot, queueRoot.querySelector('handoff-context')?.shadowRoot],
    milestones: {
      sections: ([, root]) => shown(root) && complete(root),
      start([, root]) {
        if (!shown(root)) return false;
        const start = root.querySelector('[part~="start"] [part~="status-text"], [part~="start-button"]');
        if (start && firstStartText === undefined)
          firstStartText = start.textContent.replace(/\s+/g, ' ').trim();
        return complete(root) && root.querySelector('[part~="start-button"]');
      },
    },
    timeoutMs,
    options: { childList: true, subtree: true, characterData: true, attributes: true },
  });
  const t0 = performance.now();
  button.click();
  return watch.then(({ sections, start }) => ({
    sections: sections === undefined ? undefined : sections - t0,
    start: start === undefined ? undefined : start - t0,
    firstStartText,
    timedOut: sections === undefined,
  }));
}

/** In the raw page: claims with fetch() and draws the four sections with plain DOM. */
function pickUpRaw({ id, title, timeoutMs }) {
  const container = document.getElementById('bench-context');
  container.replaceChildren();
  const el = (tag, text, parent) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    parent?.append(node);
    return node;
  };
  const drawn = window.__rfWatch({
    roots: () => [container],
    milestones: {
      drawn() {
        const article = container.querySelector('article');
        return (
          article?.querySelector('h2')?.textContent === title &&
          article.querySelectorAll('section').length === 4
        );
      },
    },
    timeoutMs,
    options: { childList: true, subtree: true },
  });
  const t0 = performance.now();
  const claimed = fetch(`/v1/handoffs/${id}/claim`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${window.__benchSam}` },
  }).then(async (response) => {
    const handoff = await response.json();
    if (!response.ok) throw new Error(`claim answered ${response.status}`);
    const article = el('article');
    el('span', handoff.priority, article);
    el('h2', handoff.title, article);
    const facts = el('dl', undefined, article);
    for (const [label, value] of Object.entries(handoff.context)) {
      el('dt', label, facts);
      el('dd', value, facts);
    }
    const section = (heading) => {
      const node = el('section', undefined, article);
      el('h3', heading, node);
      return node;
    };
    el('p', handoff.problemSummary, section('Problem summary'));
    const tried = el('ol', undefined, section("What's been tried"));
    for (const step of handoff.tried) el('li', `${step.outcome} ${step.action} ${step.note ?? ''}`, tried);
    const assessment = section('AI assessment');
    el('p', handoff.assessment.likelyCause ?? handoff.assessment.status, assessment);
    const next = el('ol', undefined, assessment);
    for (const step of handoff.assessment.nextSteps ?? []) el('li', step, next);
    el('button', 'Start working on it', section('Start here'));
    container.append(article);
  });
  claimed.catch(() => drawn.stop());
  return Promise.all([drawn, claimed]).then(([frame]) =>
    frame.timedOut ? { timedOut: true } : { sections: frame.drawn - t0, start: frame.drawn - t0 },
  );
}

export function browserPickup(count = Number(process.env.BENCH_HANDOFFS ?? 30)) {
  return withDemoBrowser({}, async ({ server, browser, alex }) => {
    const { samples, missing, counted } = await alternateBlocks({
      count,
      open: (kind) => openPage(browser, server.url, kind),
      async sample(page, kind, n) {
        const title = `Bench pick-up ${kind} #${n}`;
        const handoff = await createAssessed(alex, { ...escalationBody(n), title });
        if (kind === 'raw') return page.evaluate(pickUpRaw, { id: handoff.id, title, timeoutMs: 10_000 });
        await page.waitForFunction(
          (id) => {
            const card = document
              .querySelector('escalation-queue')
              .shadowRoot.querySelector(`li[data-id="${id}"]`);
            return Boolean(
              card &&
              !card.querySelector('.assessment.pending') &&
              card.querySelector('button[part~="claim-button"]:not([disabled])'),
            );
          },
          handoff.id,
          { timeout: 10_000 },
        );
        const result = await page.evaluate(pickUpInQueue, { id: handoff.id, title, timeoutMs: 10_000 });
        // Close the inline context, so every sample renders a new one.
        await page.evaluate(() =>
          document
            .querySelector('escalation-queue')
            .shadowRoot.querySelector('button[part~="close-button"]')
            ?.click(),
        );
        await page.waitForFunction(
          () => !document.querySelector('escalation-queue').shadowRoot.querySelector('handoff-context'),
        );
        return result;
      },
    });
    const firstStartTexts = new Map();
    for (const { firstStartText } of counted.widget) {
      if (firstStartText) firstStartTexts.set(firstStartText, (firstStartTexts.get(firstStartText) ?? 0) + 1);
    }
    const stat = (kind, key) => {
      const values = samples[kind].map((s) => s[key] ?? Infinity);
      return { p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) };
    };
    const raw = stat('raw', 'sections');
    const rowsIn = [
      { page: 'raw: fetch claim + plain DOM (baseline)', kind: 'raw', ...raw },
      {
        page: '<handoff-context> in queue: 4 sections + assessment',
        kind: 'widget',
        ...stat('widget', 'sections'),
        goal: true,
      },
      {
        page: '<handoff-context>: … and "Start" button (after its GET /v1/me)',
        kind: 'widget',
        ...stat('widget', 'start'),
      },
    ];
    const rows = rowsIn.map((row) => ({
      measure: row.page,
      samples: samples[row.kind].length,
      missing: missing[row.kind],
      'p50 ms': fmt(row.p50),
      'p95 ms': fmt(row.p95),
      'max ms': fmt(row.max),
      'p50 ratio': `${fmt(row.p50 / raw.p50, 2)}×`,
      'p95 ratio': `${fmt(row.p95 / raw.p95, 2)}×`,
      goal: row.goal
        ? `p95 ≤ ${GOAL_P95_MS} ms: ${row.p95 <= GOAL_P95_MS && missing.widget === 0 ? 'met' : 'MISSED'}`
        : '',
    }));
    printTable(
      `Browser: Pick up → handoff context rendered (${count} handoffs each, Chromium ${browser.version()})`,
      rows,
    );
    console.log('What the "Start here" panel showed first in <handoff-context> (status text or button):');
    for (const [text, times] of firstStartTexts) console.log(`  ${times}× ${JSON.stringify(text)}`);
    return rows;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2]);
  await browserPickup(count > 0 ? count : undefined);
}
