import { expect } from '@open-wc/testing';
import { duration, percent, relativeTime, secondsBetween } from './format.js';

const now = Date.parse('2025-03-10T12:00:00.000Z');
const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

describe('format', () => {
  it('should write relative times in the largest whole unit, and under a minute as now', () => {
    expect(relativeTime(ago(20), 'en', now)).to.equal('now');
    expect(relativeTime(ago(5 * 60), 'en', now)).to.equal('5 minutes ago');
    expect(relativeTime(ago(3 * 3600), 'en', now)).to.equal('3 hours ago');
    expect(relativeTime(ago(86_400), 'en', now)).to.equal('yesterday');
    expect(relativeTime(ago(5 * 60), 'de', now)).to.equal('vor 5 Minuten');
  });

  it('should write durations in seconds, minutes or hours, with a decimal below ten', () => {
    expect(duration(45, 'en')).to.equal('45 sec');
    expect(duration(12 * 60, 'en')).to.equal('12 min');
    expect(duration(150 * 60, 'en')).to.equal('2.5 hr');
    expect(duration(30 * 3600, 'en')).to.equal('30 hr');
  });

  it('should write a ratio as a whole percentage', () => {
    expect(percent(0.724, 'en')).to.equal('72%');
    expect(percent(0.5, 'de'), 'a no-break space before the sign').to.match(/^50\s%$/);
  });

  it('should count the seconds between two times, never fewer than none', () => {
    expect(secondsBetween(ago(90), ago(30))).to.equal(60);
    expect(secondsBetween(ago(30), ago(90))).to.equal(0);
  });
});
