/* global window, requestAnimationFrame, MutationObserver -- installWatch() runs in the page. */
// The wait harness of the browser benchmarks, in the page: watch nodes until a condition holds,
// then take the time at the next animation frame, the frame that paints it. A sample starts the
// watch, then takes t0 and acts (POST, click), so the observers are in place before anything moves.

/**
 * Installs `window.__rfWatch({ roots, milestones, timeoutMs, options })` in the page (pass it to
 * `page.evaluate`). It observes, with MutationObserver `options`, every node `roots()` returns,
 * asking again after each change so that a shadow root which appears is watched from then on.
 * After each change it tests each milestone not yet reached, `milestones[name](roots)`, and
 * resolves with `{ [name]: performance.now() at the next animation frame }` once all are reached,
 * or after `timeoutMs` with what was reached and `timedOut: true`. The promise has `stop()`, for a
 * sample that failed otherwise.
 *
 * @example
 * ```js
 * await page.evaluate(installWatch);
 * await page.evaluate(() => {
 *   const shown = window.__rfWatch({ roots: () => [document.body], milestones: { card: () => … }, … });
 *   const t0 = performance.now();
 *   … // act
 *   return shown.then((at) => at.card - t0);
 * });
 * ```
 */
export function installWatch() {
  window.__rfWatch = ({ roots, milestones, timeoutMs, options }) => {
    const names = Object.keys(milestones);
    const reached = new Set();
    const times = {};
    const observed = new Set();
    const observers = [];
    let timer;
    let resolve;
    const stop = () => {
      clearTimeout(timer);
      observers.forEach((observer) => observer.disconnect());
    };
    const observeNew = () => {
      const current = roots();
      for (const root of current) {
        if (!root || observed.has(root)) continue;
        observed.add(root);
        const observer = new MutationObserver(check);
        observer.observe(root, options);
        observers.push(observer);
      }
      return current;
    };
    function check() {
      const current = observeNew();
      for (const name of names) {
        if (reached.has(name) || !milestones[name](current)) continue;
        reached.add(name);
        if (reached.size === names.length) observers.forEach((observer) => observer.disconnect());
        requestAnimationFrame(() => {
          times[name] = performance.now();
          if (Object.keys(times).length < names.length) return;
          stop();
          resolve(times);
        });
      }
    }
    const done = new Promise((settle) => {
      resolve = settle;
      timer = setTimeout(() => {
        stop();
        settle({ ...times, timedOut: true });
      }, timeoutMs);
    });
    observeNew();
    return Object.assign(done, { stop });
  };
}
