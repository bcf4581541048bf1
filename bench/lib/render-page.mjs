/* global document, window, navigator -- installRenderBench() runs in the page. */
// In the page, for bench/browser-render.mjs: `count` synthetic cards for <escalation-queue>'s model,
// a plain-DOM baseline that draws the same cards, and the timed operations on both (see the
// header of browser-render.mjs for what each one measures).

/** Installs window.__bench: the synthetic cards and the four timed operations. */
export function installRenderBench({ count }) {
  const queue = document.querySelector('escalation-queue');
  const template =
    queue._cards.find((card) => card.handoff.context.client)?.handoff ?? queue._cards[0].handoff;
  const priorities = ['low', 'normal', 'high', 'urgent'];
  const now = Date.now();
  const handoff = (i, kind) => ({
    ...template,
    id: `bench-${kind}-${i}`,
    title: `Synthetic escalation ${kind} ${i}: Outlook keeps prompting for a password`,
    priority: priorities[i % 4],
    createdAt: new Date(now - (i + 1) * 37_000).toISOString(),
    context: { ...template.context, client: `Client ${i % 50}` },
  });
  const base = Array.from({ length: count }, (_, i) => ({ handoff: handoff(i, 'base') }));
  let inserted = 0;
  const nextInsert = () => ({
    ...handoff(count + inserted, 'insert'),
    createdAt: new Date().toISOString(),
    id: `bench-insert-${inserted++}`,
  });
  // Script time ends at t1, taken by the caller; style and layout are then forced and timed apart.
  const timings = (root, t0, t1) => {
    root.querySelector('ul')?.getBoundingClientRect();
    return {
      script: t1 - t0,
      styleLayout: performance.now() - t1,
      cards: root.querySelectorAll('li').length,
    };
  };

  // The plain DOM baseline: same markup and texts, same order, same stylesheets.
  const host = document.createElement('div');
  host.id = 'bench-vanilla';
  queue.after(host);
  const root = host.attachShadow({ mode: 'open' });
  root.adoptedStyleSheets = queue.shadowRoot.adoptedStyleSheets;
  const rank = { urgent: 0, high: 1, normal: 2, low: 3 };
  const byPriorityThenAge = (a, b) =>
    rank[a.priority] - rank[b.priority] || Date.parse(a.createdAt) - Date.parse(b.createdAt);
  const labels = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };
  const relative = new Intl.RelativeTimeFormat(navigator.language, { numeric: 'auto' });
  const ago = (iso, at) => {
    const minutes = Math.round((Date.parse(iso) - at) / 60_000);
    return Math.abs(minutes) < 60
      ? relative.format(minutes, 'minute')
      : relative.format(Math.round(minutes / 60), 'hour');
  };
  const el = (tag, parent, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    parent?.append(node);
    return node;
  };
  const card = (h, at, fresh) => {
    const li = el('li', undefined, `card${fresh ? ' fresh' : ''}`);
    li.setAttribute('part', 'card');
    li.dataset.id = h.id;
    const row = el('div', li, 'row');
    el('span', row, `badge ${h.priority}`, labels[h.priority]);
    if (h.context.client) el('span', row, 'muted', h.context.client);
    el('h3', li, undefined, h.title);
    el('p', li, 'muted', `Escalated ${ago(h.createdAt, at)} by ${h.createdBy.name}`);
    el('p', li, `muted assessment ${h.assessment.status}`, 'AI assessment ready');
    el('button', li, 'primary', 'Pick up').addEventListener('click', () => h);
    return li;
  };
  let sorted = [];
  let list = null;

  window.__bench = {
    count: () => queue._cards?.length ?? 0,
    async litSet(cards) {
      queue._cards = cards === 'base' ? base : [];
      await queue.updateComplete;
    },
    async litRender() {
      const t0 = performance.now();
      queue._cards = base;
      await queue.updateComplete;
      const t1 = performance.now();
      return timings(queue.shadowRoot, t0, t1);
    },
    async litInsert() {
      const h = nextInsert();
      const t0 = performance.now();
      const cards = queue._cards;
      if (cards.findIndex((c) => c.handoff.id === h.id) === -1)
        queue._cards = [...cards, { handoff: h, fresh: true }];
      await queue.updateComplete;
      const t1 = performance.now();
      return timings(queue.shadowRoot, t0, t1);
    },
    domClear() {
      root.replaceChildren();
      list = null;
      sorted = [];
    },
    domRender() {
      const t0 = performance.now();
      const at = Date.now();
      sorted = base.map((c) => c.handoff).sort(byPriorityThenAge);
      list = el('ul');
      list.setAttribute('part', 'list');
      for (const h of sorted) list.append(card(h, at, false));
      root.append(list);
      const t1 = performance.now();
      return timings(root, t0, t1);
    },
    domInsert() {
      const h = nextInsert();
      const t0 = performance.now();
      let index = sorted.findIndex((other) => byPriorityThenAge(h, other) < 0);
      if (index === -1) index = sorted.length;
      sorted.splice(index, 0, h);
      list.insertBefore(card(h, Date.now(), true), list.children[index] ?? null);
      const t1 = performance.now();
      return timings(root, t0, t1);
    },
    /** Times every queue update (performUpdate: render + commit) from now on. */
    watchUpdates() {
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
    },
  };
}
