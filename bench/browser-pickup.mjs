/* global document, window, requestAnimationFrame, MutationObserver -- functions passed to page.evaluate run in the page. */
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
import { assertBuilt, launchBrowser, openLiveQueue } from './lib/browser.mjs';
import { apiAs, demoToken, startDemoServer } from './lib/demo.mjs';
import { escalationBody } from './lib/setup.mjs';
import { fmt, pace, percentile, printTable } from './lib/stats.mjs';

const BLOCK = 10;
const WARMUP = 2;
const PACE_MS = 150;
const GOAL_P95_MS = 200;

async function openPage(browser, url, kind) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (kind === 'widget') {
    await openLiveQueue(page, url);
  } else {
    await page.goto(`${url}/healthz`);
    await page.setContent(
      '<!doctype html><html lang="en"><head><title>raw pick-up</title></head><body><div id="bench-context"></div></body></html>',
    );
    await page.evaluate(async () => {
      const response = await fetch('/demo/token?persona=sam');
      window.__benchSam = (await response.json()).token;
    });
  }
  return { page, close: () => context.close() };
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
  const queue = document.querySelector('escalation-queue');
  const queueRoot = queue.shadowRoot;
  const button = queueRoot.querySelector(`li[data-id="${id}"] button[part~="claim-button"]`);
  if (!button) throw new Error(`no Pick up button for ${id}`);
  return new Promise((resolve) => {
    const observed = new Set();
    const observers = [];
    const times = {};
    let firstStartText;
    const observe = (root) => {
      if (observed.has(root)) return;
      observed.add(root);
      const observer = new MutationObserver(check);
      observer.observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
      observers.push(observer);
    };
    const stop = () => observers.forEach((observer) => observer.disconnect());
    const frame = (name) =>
      requestAnimationFrame(() => {
        times[name] = performance.now() - t0;
        if (times.sections !== undefined && times.start !== undefined) {
          clearTimeout(timer);
          stop();
          resolve({ ...times, firstStartText });
        }
      });
    function check() {
      const context = queueRoot.querySelector('handoff-context');
      const root = context?.shadowRoot;
      if (!root) return;
      observe(root);
      if (root.querySelector('[part~="title"]')?.textContent.trim() !== title) return;
      const start = root.querySelector('[part~="start"] [part~="status-text"], [part~="start-button"]');
      if (start && firstStartText === undefined)
        firstStartText = start.textContent.replace(/\s+/g, ' ').trim();
      const complete =
        ['summary', 'tried', 'assessment', 'start'].every((name) =>
          root.querySelector(`[part~="section-${name}"]`),
        ) && root.querySelector('[part~="assessment-ready"], [part~="assessment-unavailable"]');
      if (complete && !('sectionsSeen' in times)) {
        times.sectionsSeen = true;
        frame('sections');
      }
      if (complete && root.querySelector('[part~="start-button"]') && !('startSeen' in times)) {
        times.startSeen = true;
        frame('start');
      }
    }
    const timer = setTimeout(() => {
      stop();
      resolve({ ...times, firstStartText, timedOut: times.sections === undefined });
    }, timeoutMs);
    observe(queueRoot);
    const t0 = performance.now();
    button.click();
  });
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
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      observer.disconnect();
      resolve({ timedOut: true });
    }, timeoutMs);
    const observer = new MutationObserver(() => {
      const article = container.querySelector('article');
      if (
        article?.querySelector('h2')?.textContent !== title ||
        article.querySelectorAll('section').length !== 4
      )
        return;
      observer.disconnect();
      requestAnimationFrame(() => {
        clearTimeout(timer);
        const elapsed = performance.now() - t0;
        resolve({ sections: elapsed, start: elapsed });
      });
    });
    observer.observe(container, { childList: true, subtree: true });
    const t0 = performance.now();
    fetch(`/v1/handoffs/${id}/claim`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${window.__benchSam}` },
    })
      .then(async (response) => {
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
        for (const step of handoff.tried)
          el('li', `${step.outcome} ${step.action} ${step.note ?? ''}`, tried);
        const assessment = section('AI assessment');
        el('p', handoff.assessment.likelyCause ?? handoff.assessment.status, assessment);
        const next = el('ol', undefined, assessment);
        for (const step of handoff.assessment.nextSteps ?? []) el('li', step, next);
        el('button', 'Start working on it', section('Start here'));
        container.append(article);
      })
      .catch((error) => {
        clearTimeout(timer);
        observer.disconnect();
        reject(error);
      });
  });
}

export async function browserPickup(count = Number(process.env.BENCH_HANDOFFS ?? 30)) {
  assertBuilt();
  const server = await startDemoServer();
  const browser = await launchBrowser();
  try {
    const alex = apiAs(server.url, await demoToken(server.url, 'alex'));
    const samples = { raw: [], widget: [] };
    const missing = { raw: 0, widget: 0 };
    const firstStartTexts = new Map();
    let n = 0;
    for (let done = 0; done < count; done += BLOCK) {
      const size = Math.min(BLOCK, count - done);
      for (const kind of ['raw', 'widget']) {
        const { page, close } = await openPage(browser, server.url, kind);
        try {
          for (let i = 0; i < WARMUP + size; i++) {
            const title = `Bench pick-up ${kind} #${n}`;
            const handoff = await createAssessed(alex, { ...escalationBody(n), title });
            n++;
            let result;
            if (kind === 'widget') {
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
              result = await page.evaluate(pickUpInQueue, { id: handoff.id, title, timeoutMs: 10_000 });
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
            } else {
              result = await page.evaluate(pickUpRaw, { id: handoff.id, title, timeoutMs: 10_000 });
            }
            if (i >= WARMUP) {
              if (result.timedOut) missing[kind]++;
              else samples[kind].push(result);
              if (result.firstStartText) {
                firstStartTexts.set(
                  result.firstStartText,
                  (firstStartTexts.get(result.firstStartText) ?? 0) + 1,
                );
              }
            }
            await pace(PACE_MS);
          }
        } finally {
          await close();
        }
      }
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
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2]);
  await browserPickup(count > 0 ? count : undefined);
}
