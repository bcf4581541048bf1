const relative = new Map<string, Intl.RelativeTimeFormat>();

const UNITS: [limitSeconds: number, unit: Intl.RelativeTimeFormatUnit, seconds: number][] = [
  [60, 'second', 1],
  [3600, 'minute', 60],
  [86_400, 'hour', 3600],
  [Infinity, 'day', 86_400],
];

/** "5 minutes ago", "yesterday", in `lang`, through `Intl.RelativeTimeFormat`. Under a minute reads "now". */
export function relativeTime(iso: string, lang: string, now = Date.now()): string {
  let format = relative.get(lang);
  if (!format) relative.set(lang, (format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })));
  const seconds = (Date.parse(iso) - now) / 1000;
  const [, unit, size] = UNITS.find(([limit]) => Math.abs(seconds) < limit)!;
  return format.format(unit === 'second' ? 0 : Math.round(seconds / size), unit);
}

/** A duration such as "45 sec", "12 min", "2.5 hr", in `lang`. */
export function duration(seconds: number, lang: string): string {
  const [value, unit] =
    seconds < 90 ? [seconds, 'second'] : seconds < 5400 ? [seconds / 60, 'minute'] : [seconds / 3600, 'hour'];
  return new Intl.NumberFormat(lang, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 && unit !== 'second' ? 1 : 0,
  }).format(value);
}

/** A ratio (0–1) as a percentage in `lang`. */
export function percent(ratio: number, lang: string): string {
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** Seconds from one ISO time to another. */
export function secondsBetween(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);
}
