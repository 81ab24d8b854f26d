import { Logger } from '@nestjs/common';
import { InFlightDeliveries } from './in-flight-deliveries.js';
import { RetryLaterException } from '../contracts/retry-later.exception.js';

const logger = new Logger('test');
logger.log = () => undefined;

describe('InFlightDeliveries', () => {
  it('counts deliveries between begin and end', () => {
    const inFlight = new InFlightDeliveries();
    inFlight.begin();
    inFlight.begin();
    inFlight.end();
    expect(inFlight.size).toBe(1);
  });

  it('drains at once when nothing is in flight, then refuses new deliveries with 503', async () => {
    const inFlight = new InFlightDeliveries();
    await inFlight.drain(10_000, logger);
    expect(() => inFlight.begin()).toThrow(RetryLaterException);
    expect(inFlight.size).toBe(0);
  });

  it('waits for the last delivery in flight, not the first', async () => {
    const inFlight = new InFlightDeliveries();
    inFlight.begin();
    inFlight.begin();
    let drained = false;
    const draining = inFlight.drain(10_000, logger).then(() => (drained = true));
    inFlight.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    inFlight.end();
    await draining;
    expect(drained).toBe(true);
  });

  it('stops waiting after the timeout while a delivery is still in flight', async () => {
    const inFlight = new InFlightDeliveries();
    inFlight.begin();
    const started = Date.now();
    await inFlight.drain(50, logger);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(inFlight.size).toBe(1);
  });
});
