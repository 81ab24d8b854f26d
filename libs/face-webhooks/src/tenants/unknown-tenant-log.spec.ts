import { jest } from '@jest/globals';
import { UnknownTenantLog } from './unknown-tenant-log.js';

describe('UnknownTenantLog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('warns once per provider per period, with the count of the rest, and keeps each at debug level', () => {
    const warn = jest.fn();
    const debug = jest.fn();
    const log = new UnknownTenantLog({ warn, debug }, 60_000);
    for (let i = 0; i < 20_000; i++) log.report('faceio', `made-up-${i}`);
    log.report('idaas', 'nobody');
    expect(debug).toHaveBeenCalledTimes(20_001);
    expect(warn.mock.calls.map(([line]) => line)).toEqual([
      'Rejected faceio delivery for unknown tenant made-up-0 (more within 60 s are counted in one line)',
      'Rejected idaas delivery for unknown tenant nobody (more within 60 s are counted in one line)',
    ]);

    jest.advanceTimersByTime(60_000);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn).toHaveBeenLastCalledWith(
      'Rejected 19999 more faceio deliveries for unknown tenants in the last 60 s (the last for made-up-19999)',
    );
    // The flood goes on: still one line per period.
    for (let i = 0; i < 100; i++) log.report('faceio', `later-${i}`);
    jest.advanceTimersByTime(60_000);
    expect(warn).toHaveBeenCalledTimes(4);
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('Rejected 100 more faceio deliveries'));
    // Once it stops, the next one is said at once again.
    jest.advanceTimersByTime(60_000);
    log.report('faceio', 'again');
    expect(warn).toHaveBeenCalledTimes(5);
    expect(warn).toHaveBeenLastCalledWith(expect.stringContaining('unknown tenant again'));
    log.stop();
  });
});
