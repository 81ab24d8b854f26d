import { randomUUID } from 'node:crypto';
import type { IdaasEventType } from './idaas.events.js';

/** An IDaaS body as it arrives on the wire. */
export interface IdaasFixture {
  /** A fresh delivery id (a UUID). */
  id: string;
  /** The event type, `face.biometric.created`, `user.created`, ... */
  type: string;
  /** The IDaaS account identifier. */
  accountId: string;
  /** When the event occurred, ISO 8601: now. */
  eventTime: string;
  /** The event's details: IDaaS's documented example for `face.biometric.created`, a small object otherwise. */
  data: Record<string, unknown>;
}

const DATA: Partial<Record<IdaasEventType, Record<string, unknown>>> = {
  'face.biometric.created': {
    subject: '062e8a87-0e86-482a-a0ab-c6429fb599b9',
    subjectName: 'john',
    subjectType: 'USER',
    resourceName: 'Administration Portal',
    sourceIp: '104.30.161.19',
    subscriberAdminRoleName: 'Super Administrator',
    entityType: 'FACE',
    entityId: 'd2b7e02f-9978-4091-aaa0-ae72f96e1415',
    entityName: '19196-24946',
    entityAttributes: { userId: 'john', status: 'ACTIVATING' },
  },
  'authentication.failed': {
    subject: '062e8a87-0e86-482a-a0ab-c6429fb599b9',
    subjectName: 'john',
    sourceIp: '198.51.100.7',
  },
  'user.deleted': {
    subject: '062e8a87-0e86-482a-a0ab-c6429fb599b9',
    subjectName: 'john',
    subjectType: 'USER',
  },
};

/**
 * A realistic IDaaS body of the given type with a fresh delivery `id`. `face.biometric.created` is
 * the documented example; other types get a small `data` (IDaaS does not document theirs).
 */
export function idaasFixture(type: IdaasEventType, overrides: Partial<IdaasFixture> = {}): IdaasFixture {
  return {
    id: randomUUID(),
    type,
    accountId: 'fba02d5c-2f79-4cfd-91f5-6bd454e97ab3',
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    data: structuredClone(DATA[type] ?? { subject: '062e8a87-0e86-482a-a0ab-c6429fb599b9' }),
    ...overrides,
  };
}
