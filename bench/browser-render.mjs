/* global window -- functions passed to page.evaluate run in the page. */
// Browser: render 1,000 queued cards, and insert one card into 1,000 (scripting time), against a
// plain DOM loop doing the same in the same page and run (Playwright, Debian's Chromium).
//
// Why the element's model and not 1,000 rows in the database: <escalation-queue> loads one page
// of at most 100 open handoffs (`limit: 100`), so a seeded database never shows 1,000 cards. The
// queue keeps its cards in the reactive `_cards` state (a QueueCard[]: `{ handoff, fresh? }`, kept
// by name in every build because Lit registers it by name), which is what a live event updates.
//
// Page: the demo page `/?view=senior` (script-tag build, Sam signed in, stream live, so every card
// has its "Pick up" button), server in demo mode with the assessor off (no `handoff.assessed`
// re-render inside a live sample). 1,000 synthetic handoffs are cloned from a real one (other id,
// title, client, priority, age).
//   Lit render    `_cards` from [] to the 1,000 cards; performance.now() around the assignment and
//                 `await queue.updateComplete` (all of Lit's work runs in those microtasks).
//   Lit insert    `_cards` set back to the 1,000 (untimed, two frames), then one new card appended
//                 the way a live `handoff.created` does (`[...cards, { handoff, fresh: true }]`).
//   DOM render    a plain loop: sort the same handoffs the same way, createElement/textContent the
//                 same card markup (badge, client, title, relative time, assessment, button with
//                 a click listener) into a <ul> in a shadow root with the queue's own stylesheets.
//   DOM insert    one card element created and inserted at its sorted position.
//   live insert   with the queue holding the 1,000, a real escalation is created from the page
//                 (fetch POST) and timed until its card is in the shadow root and the next frame
//                 ran, as in browser-arrival.mjs; the queue's performUpdate() is timed as well.
// Style and layout are forced right after each timed update (getBoundingClientRect) and timed
// apart. Two rounds of Lit then DOM. Not used: the DevTools Protocol's Performance.getMetrics
// ScriptDuration, which counts neither microtasks nor Runtime.evaluate — a 20 ms loop in a promise
// callback reads as 0.07 ms there — and every Lit update runs in a microtask.
// Usage: node bench/browser-render.mjs [cards]   (BENCH_CARDS=1000)
import { twoFrames, withDemoBrowser } from './lib/browser.mjs';
import { installRenderBench } from './lib/render-page.mjs';
import { escalationBody } from './lib/setup.mjs';
import { fmt, pace, percentile, printTable } from './lib/stats.mjs';
import { createAndTimeArrival, openArrivalPage } from './browser-arrival.mjs';

const ROUNDS = 2;
const RENDERS_PER_ROUND = 3;
const INSERTS_PER_ROUND = 10;
const LIVE_INSERTS = 10;
const GOAL_INSERT_MS = 4;

export function browserRender(count = Number(process.env.BENCH_CARDS ?? 1000)) {
  return withDemoBrowser({ AI_PROVIDER: 'off' }, async ({ server, browser, alex }) => {
    const { page, close } = await openArrivalPage(browser, server.url, 'widget');
    try {
      await page.evaluate(installRenderBench, { count });
      const samples = { litRender: [], litInsert: [], domRender: [], domInsert: [], live: [] };
      /** Runs one timed in-page operation after two quiet frames. */
      const timed = async (name, expression) => {
        await twoFrames(page);
        samples[name].push(await page.evaluate(expression));
      };
      // Warm-up, not counted: one render and insert of each kind.
      await page.evaluate(() => window.__bench.litSet([]));
      await page.evaluate(() => window.__bench.litRender());
      await page.evaluate(() => window.__bench.litInsert());
      await page.evaluate(() => window.__bench.litSet([]));
      await page.evaluate(() => window.__bench.domRender());
      await page.evaluate(() => window.__bench.domInsert());
      await page.evaluate(() => window.__bench.domClear());

      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < RENDERS_PER_ROUND; i++) {
          await page.evaluate(() => window.__bench.litSet([]));
          await timed('litRender', () => window.__bench.litRender());
        }
        for (let i = 0; i < INSERTS_PER_ROUND; i++) {
          await page.evaluate(() => window.__bench.litSet('base'));
          await timed('litInsert', () => window.__bench.litInsert());
        }
        await page.evaluate(() => window.__bench.litSet([]));
        for (let i = 0; i < RENDERS_PER_ROUND; i++) {
          await page.evaluate(() => window.__bench.domClear());
          await timed('domRender', () => window.__bench.domRender());
        }
        for (let i = 0; i < INSERTS_PER_ROUND; i++) {
          await page.evaluate(() => window.__bench.domClear());
          await page.evaluate(() => window.__bench.domRender());
          await timed('domInsert', () => window.__bench.domInsert());
        }
        await page.evaluate(() => window.__bench.domClear());
      }

      // A real arrival over the stream into the 1,000 cards.
      await page.evaluate(() => window.__bench.watchUpdates());
      for (let i = 0; i < LIVE_INSERTS + 1; i++) {
        await page.evaluate(() => window.__bench.litSet('base'));
        await twoFrames(page);
        await page.evaluate(() => window.__benchUpdates.splice(0));
        const body = { ...escalationBody(i), title: `Bench live insert #${i}` };
        const result = await page.evaluate(createAndTimeArrival, {
          body,
          where: 'widget',
          timeoutMs: 10_000,
        });
        const updates = await page.evaluate(() => window.__benchUpdates.splice(0));
        const cards = await page.evaluate(() => window.__bench.count());
        // Take the card out before cancelling, so the cancel event finds nothing to animate.
        await page.evaluate(() => window.__bench.litSet('base'));
        if (result.id) await alex.post(`/v1/handoffs/${result.id}/cancel`);
        await pace(100);
        if (i === 0 || result.timedOut) continue; // warm-up
        samples.live.push({
          script: updates.reduce((a, b) => a + b, 0),
          arrival: result.arrival,
          updates: updates.length,
          cards,
        });
      }

      const p = (name, pick, q) => percentile(samples[name].map(pick), q);
      const script = (s) => s.script;
      const domRender = p('domRender', script, 50);
      const domInsert = p('domInsert', script, 50);
      const insertGoal = (p50) => `p50 ≤ ${GOAL_INSERT_MS} ms: ${p50 <= GOAL_INSERT_MS ? 'met' : 'MISSED'}`;
      const row = (measure, name, baseline, goal) => {
        const p50 = p(name, script, 50);
        return {
          measure,
          samples: samples[name].length,
          cards: samples[name][0]?.cards ?? '',
          'script p50 ms': fmt(p50, 2),
          'script p95 ms': fmt(p(name, script, 95), 2),
          'script min ms': fmt(Math.min(...samples[name].map(script)), 2),
          'ratio p50': `${fmt(p50 / baseline, 1)}×`,
          'style+layout p50 ms':
            name === 'live'
              ? 'n/a'
              : fmt(
                  p(name, (s) => s.styleLayout, 50),
                  2,
                ),
          goal: goal ? goal(p50) : '',
        };
      };
      const rows = [
        row(`plain DOM: render ${count} cards (baseline)`, 'domRender', domRender),
        row(`<escalation-queue>: render ${count} cards`, 'litRender', domRender),
        row(`plain DOM: insert 1 into ${count} (baseline)`, 'domInsert', domInsert),
        row(`<escalation-queue>: insert 1 into ${count}, model`, 'litInsert', domInsert, insertGoal),
        row(
          `<escalation-queue>: insert 1 into ${count}, live event (performUpdate)`,
          'live',
          domInsert,
          insertGoal,
        ),
      ];
      if (process.env.BENCH_DEBUG) console.log(JSON.stringify(samples, null, 1));
      printTable(
        `Browser: render ${count} queued cards, insert one — scripting time (Chromium ${browser.version()})`,
        rows,
      );
      const arrivals = samples.live.map((s) => s.arrival);
      console.log(
        `Live insert into ${count}: escalate → card painted p50 ${fmt(percentile(arrivals, 50))} ms, ` +
          `p95 ${fmt(percentile(arrivals, 95))} ms; queue updates per arrival: ${[...new Set(samples.live.map((s) => s.updates))].join('/')}.`,
      );
      return rows;
    } finally {
      await close();
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2]);
  await browserRender(count > 0 ? count : undefined);
}
