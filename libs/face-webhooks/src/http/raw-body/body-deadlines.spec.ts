import { jest } from '@jest/globals';
import { BodyDeadlines } from './body-deadlines.js';

describe('BodyDeadlines', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it.each([
    [80, 20], // checked every 10 ms: late by less than two checks, a quarter of the timeout
    [10_000, 1_000], // checked every 500 ms at most: late by less than a second
    [5, 2], // checked every millisecond
  ])(
    'cuts a body off no sooner than %i ms after its read began, and less than %i ms later',
    (timeoutMs, late) => {
      const deadlines = new BodyDeadlines(timeoutMs);
      // One read keeps the checks going, so the next begins part-way between two checks.
      deadlines.watch(() => undefined);
      jest.advanceTimersByTime(Math.max(1, Math.floor(timeoutMs / 20)));
      const expired = jest.fn();
      deadlines.watch(expired);
      jest.advanceTimersByTime(timeoutMs - 1);
      expect(expired).not.toHaveBeenCalled();
      jest.advanceTimersByTime(late);
      expect(expired).toHaveBeenCalledTimes(1);
      jest.advanceTimersByTime(timeoutMs * 3);
      expect(expired).toHaveBeenCalledTimes(1);
    },
  );

  it('never cuts off a body whose deadline was cleared', () => {
    const deadlines = new BodyDeadlines(100);
    const expired = jest.fn();
    const deadline = deadlines.watch(expired);
    jest.advanceTimersByTime(50);
    deadlines.clear(deadline);
    jest.advanceTimersByTime(1_000);
    expect(expired).not.toHaveBeenCalled();
    expect(deadlines.size).toBe(0);
  });

  it('keeps no timer while no body is being read, and starts one for the next', () => {
    const deadlines = new BodyDeadlines(100);
    deadlines.clear(deadlines.watch(() => undefined));
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(20);
    expect(jest.getTimerCount()).toBe(0);

    const expired = jest.fn();
    deadlines.watch(expired);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(99);
    expect(expired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(26);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('cuts off each body at its own deadline', () => {
    const deadlines = new BodyDeadlines(80);
    const first = jest.fn();
    const second = jest.fn();
    deadlines.watch(first);
    jest.advanceTimersByTime(40);
    deadlines.watch(second);
    jest.advanceTimersByTime(60);
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).not.toHaveBeenCalled();
    jest.advanceTimersByTime(60);
    expect(second).toHaveBeenCalledTimes(1);
  });
});
