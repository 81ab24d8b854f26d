/**
 * Sumsub's `createdAtMs` is a text, not milliseconds: `yyyy-MM-dd HH:mm:ss.fff` in UTC, with no zone
 * (`2021-05-14 16:00:25.032`). The ISO form of the same time (`T` between date and time, a final `Z`)
 * is read too. Anything else, or a date that does not exist (`2026-02-30`), is `undefined`: `Date`
 * would read the documented form as local time, or not at all.
 */
const SUMSUB_TIME = /^(\d{4})-(\d{2})-(\d{2})([ T])(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z?)$/;

export function readSumsubTime(text: string): Date | undefined {
  const match = SUMSUB_TIME.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, separator, h, mi, s, fraction = '', zone] = match;
  // The documented form has no zone; the ISO form must say Z.
  if ((separator === 'T') !== (zone === 'Z')) return undefined;
  const parts = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const ms = Number(fraction.padEnd(3, '0'));
  const time = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], ms);
  const date = new Date(time);
  const exact =
    date.getUTCFullYear() === parts[0] &&
    date.getUTCMonth() === parts[1] - 1 &&
    date.getUTCDate() === parts[2] &&
    date.getUTCHours() === parts[3] &&
    date.getUTCMinutes() === parts[4] &&
    date.getUTCSeconds() === parts[5];
  return exact ? date : undefined;
}

/** A time as Sumsub writes `createdAtMs`: `2021-05-14 16:00:25.032`, UTC. */
export function formatSumsubTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
