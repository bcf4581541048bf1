import type { TrendDay } from '@resolutionflow/types';
import { html, svg } from 'lit';
import type { MetricsStrings } from './escalation-metrics.strings.js';

const HEIGHT = 120;
const BAR = 10;

/**
 * The daily trend as paired bars (escalated, picked up), with the same numbers
 * in a table behind a disclosure for screen readers and for anyone who wants
 * the figures.
 */
export function renderTrend(trend: TrendDay[], strings: MetricsStrings, locale: string) {
  const max = Math.max(1, ...trend.map((day) => day.created));
  const width = trend.length * BAR;
  const scale = (value: number) => (value / max) * (HEIGHT - 4);
  const date = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const label = (day: TrendDay) => date.format(new Date(`${day.date}T00:00:00Z`));
  const total = (key: 'created' | 'claimed') => trend.reduce((sum, day) => sum + day[key], 0);
  return html`<figure part="chart">
      <svg
        viewBox="0 0 ${width} ${HEIGHT}"
        preserveAspectRatio="none"
        role="img"
        aria-label=${strings.chart(trend.length, total('created'), total('claimed'))}
      >
        ${trend.map(
          (
            day,
            index,
          ) => svg`<rect class="created" x=${index * BAR + 1} y=${HEIGHT - scale(day.created)} width=${BAR - 2} height=${scale(day.created)}></rect>
          <rect class="claimed" x=${index * BAR + 3} y=${HEIGHT - scale(day.claimed)} width=${BAR - 6} height=${scale(day.claimed)}></rect>`,
        )}
      </svg>
      <figcaption part="legend" class="muted">
        <span class="key created"></span>${strings.created}
        <span class="key claimed"></span>${strings.claimed}
      </figcaption>
    </figure>
    <details part="table-toggle">
      <summary>${strings.showTable}</summary>
      <table part="table">
        <thead>
          <tr>
            <th scope="col">${strings.date}</th>
            <th scope="col">${strings.created}</th>
            <th scope="col">${strings.claimed}</th>
          </tr>
        </thead>
        <tbody>
          ${trend.map(
            (day) =>
              html`<tr>
                <th scope="row">${label(day)}</th>
                <td>${day.created}</td>
                <td>${day.claimed}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>`;
}
