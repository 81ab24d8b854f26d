import { formatSumsubTime, readSumsubTime } from './sumsub-time.js';

describe('Sumsub createdAtMs', () => {
  it.each([
    ['2021-05-14 16:00:25.032', '2021-05-14T16:00:25.032Z'],
    ['2020-02-21 13:23:19.321', '2020-02-21T13:23:19.321Z'],
    ['2020-02-21 13:23:19.3', '2020-02-21T13:23:19.300Z'],
    ['2020-02-21 13:23:19', '2020-02-21T13:23:19.000Z'],
    ['2020-02-21T13:23:19.321Z', '2020-02-21T13:23:19.321Z'],
    ['2024-02-29 23:59:59.999', '2024-02-29T23:59:59.999Z'],
  ])('reads %s as UTC', (text, iso) => {
    expect(readSumsubTime(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-30 00:00:00.000',
    '2025-02-29 00:00:00.000',
    '2021-05-14 24:00:00.000',
    '2021-05-14 16:60:00.000',
    '2021-05-14 16:00:25.0321',
    '2021-05-14T16:00:25.032',
    '2021-05-14 16:00:25.032Z',
    '2021-05-14T16:00:25.032+02:00',
    '1621008025032',
    '2021-5-14 16:00:25',
    ' 2021-05-14 16:00:25.032',
    '',
  ])('refuses %j', (text) => {
    expect(readSumsubTime(text)).toBeUndefined();
  });

  it('writes the documented form, which it reads back', () => {
    const date = new Date('2026-03-16T19:35:16.123Z');
    expect(formatSumsubTime(date)).toBe('2026-03-16 19:35:16.123');
    expect(readSumsubTime(formatSumsubTime(date))).toEqual(date);
  });
});
