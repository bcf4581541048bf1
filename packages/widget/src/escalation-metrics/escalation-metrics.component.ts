import type { AnalyticsPeriod, EscalationAnalytics } from '@resolutionflow/types';
import { ANALYTICS_PERIODS } from '@resolutionflow/types/constants';
import { html, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { duration, percent } from '../shared/format.js';
import { ERROR, LoadController } from '../shared/load-controller.js';
import { RfElement } from '../shared/rf-element.js';
import { SessionController } from '../shared/session-controller.js';
import { renderLoadError, renderSkeleton } from '../shared/states.js';
import { themeStyles } from '../shared/theme.styles.js';
import { metricsStrings, type MetricsStrings } from './escalation-metrics.strings.js';
import { metricsStyles } from './escalation-metrics.styles.js';
import { renderTrend } from './trend-chart.js';

/** How long the figures wait for more events before they are read again. */
const REFRESH_DEBOUNCE_MS = 500;

/**
 * The owner's view: did escalations get faster? Escalations, how many were
 * picked up, the median time to pick-up and to first action, minutes recovered
 * and hours saved per week against the manual baseline (only when one is set),
 * and the daily trend. Follows the live stream: after events the figures are
 * read again (debounced) and replace the shown ones in place, without a flicker.
 *
 * @tag escalation-metrics
 * @summary Escalation analytics for a period, with a trend chart.
 *
 * @event rf-period-change - The user chose another period. `detail: { period }`
 * @event rf-error - Loading failed. `detail: { error, operation }`
 *
 * @csspart base - The outer frame.
 * @csspart header - Heading and period selector.
 * @csspart heading - The heading.
 * @csspart periods - The period selector; `period` each, `period-checked` for the chosen one.
 * @csspart figures - The figures; `figure`, `figure-label`, `figure-value` each.
 * @csspart note - What the two time metrics mean.
 * @csspart chart - The SVG trend chart; `legend` below it.
 * @csspart table-toggle - The disclosure with the trend as a table; `table` inside.
 * @csspart skeleton - Placeholders while loading.
 * @csspart empty - The empty state.
 * @csspart error - The error state; `retry-button` inside.
 */
export class EscalationMetrics extends RfElement {
  static override styles = [themeStyles, metricsStyles];

  private readonly _session = new SessionController(this, {
    onEvent: () => this._refreshLater(),
    onResync: () => this._refreshLater(),
  });
  private _refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly _load = new LoadController(this, {
    task: async ([client, period], { signal }) => {
      if (!client) return undefined;
      await this._session.ready();
      return client.analytics(period, signal);
    },
    args: () => [this._session.client, this.period] as const,
    onError: (error) => this._fail(error, 'load'),
  });

  /** The period shown: `7d`, `30d` or `90d`. */
  @property({ reflect: true }) period: AnalyticsPeriod = '30d';

  /** Replaces any of the texts shown (see `MetricsStrings`). */
  @property({ attribute: false }) strings: Partial<MetricsStrings> = {};

  private get _strings(): MetricsStrings {
    return { ...metricsStrings, ...this.strings };
  }

  /**
   * Reads the figures again soon: a burst of events costs one read. (Events stop when the element
   * leaves the document; a read already due then is skipped.)
   */
  private _refreshLater(): void {
    clearTimeout(this._refreshTimer);
    this._refreshTimer = setTimeout(() => this.isConnected && void this._load.run(), REFRESH_DEBOUNCE_MS);
  }

  private _choose(period: AnalyticsPeriod): void {
    this.period = period;
    this.emit('rf-period-change', { period });
  }

  private _renderFigures(data: EscalationAnalytics, strings: MetricsStrings) {
    const locale = this.locale;
    const time = (seconds: number | null) =>
      seconds === null ? strings.notMeasured : duration(seconds, locale);
    const figures: [string, string][] = [
      [strings.escalations, new Intl.NumberFormat(locale).format(data.created)],
      [strings.conversion, data.conversion === null ? strings.notMeasured : percent(data.conversion, locale)],
      [strings.timeToClaim, time(data.timeToClaim.medianSeconds)],
      [strings.timeToFirstAction, time(data.timeToFirstAction.medianSeconds)],
    ];
    // Never derived from the in-product number alone: only beside a measured baseline.
    if (data.baselineMinutes !== null && data.minutesRecovered !== null) {
      const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format;
      figures.push([strings.minutesRecovered, format(data.minutesRecovered)]);
      if (data.hoursSavedPerWeek !== null) figures.push([strings.hoursSaved, format(data.hoursSavedPerWeek)]);
    }
    const baseline = data.baselineMinutes === null ? null : duration(data.baselineMinutes * 60, locale);
    return html`<dl part="figures">
        ${figures.map(
          ([label, value]) =>
            html`<div part="figure">
              <dt part="figure-label">${label}</dt>
              <dd part="figure-value">${value}</dd>
            </div>`,
        )}
      </dl>
      <p part="note" class="note muted">${strings.note(baseline)}</p>
      ${renderTrend(data.trend, strings, locale)}`;
  }

  private _renderBody(strings: MetricsStrings): TemplateResult {
    const data = this._load.value;
    if (this._load.status === ERROR) {
      return renderLoadError(this._load, strings, { 403: strings.forbidden });
    }
    // While a live refresh runs, the figures shown stay (no skeleton flicker); a new period waits for its own.
    if (!data || data.period !== this.period) return renderSkeleton(strings.loading, 3);
    if (data.created === 0) return html`<p part="empty" class="muted">${strings.empty}</p>`;
    return this._renderFigures(data, strings);
  }

  override render() {
    const strings = this._strings;
    return html`<section part="base" aria-labelledby="heading">
      <header part="header">
        <h2 part="heading" id="heading">${strings.heading}</h2>
        <fieldset part="periods">
          <legend class="sr">${strings.period}</legend>
          ${ANALYTICS_PERIODS.map(
            (period) =>
              html`<label part="period${period === this.period ? ' period-checked' : ''}">
                <input
                  type="radio"
                  name="period"
                  .checked=${period === this.period}
                  @change=${() => this._choose(period)}
                />
                ${strings.periods[period]}
              </label>`,
          )}
        </fieldset>
      </header>
      ${this._renderBody(strings)}
    </section>`;
  }
}
