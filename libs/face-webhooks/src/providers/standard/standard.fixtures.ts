import { randomUUID } from 'node:crypto';
import type { StandardFixtureType } from './standard.event-types.js';

/** A Standard Webhooks body as it arrives on the wire. */
export interface StandardWebhookFixture {
  /** The event type, `contact.created` or `invoice.paid`. */
  type: string;
  /** When the event occurred, ISO 8601: now. */
  timestamp: string;
  /** A sample of the type's data, with fresh ids. */
  data: Record<string, unknown>;
}

const DATA: Record<StandardFixtureType, () => Record<string, unknown>> = {
  // The spec's "full payload" example for contact.created.
  'contact.created': () => ({
    id: randomUUID(),
    type: 'contact',
    fullName: 'John Smith',
    address: '800 W NASA Pkwy, Webster, TX 77598, USA',
    phoneNumber: '(281) 332-2575',
    birthday: '1980-04-19',
    occupation: 'Engineer, ACME',
  }),
  'invoice.paid': () => ({
    id: `in_${randomUUID().replaceAll('-', '')}`,
    customerId: `cus_${randomUUID().replaceAll('-', '').slice(0, 14)}`,
    amountPaid: 4200,
    currency: 'usd',
    paidAt: new Date().toISOString(),
  }),
};

/**
 * A realistic Standard Webhooks body of the given type (`{ type, timestamp, data }`), with fresh
 * ids in `data` and the current time. The delivery's own id, `webhook-id`, is the signer's.
 */
export function standardWebhookFixture(
  type: StandardFixtureType,
  overrides: Partial<StandardWebhookFixture> = {},
): StandardWebhookFixture {
  return { type, timestamp: new Date().toISOString(), data: DATA[type](), ...overrides };
}
