import type { FaceioEventName } from './faceio.events.js';

/** A FACEIO body as it arrives on the wire (plain JSON, before validation). */
export interface FaceioFixture {
  /** `ENROLL`, `AUTH` or `DELETION`. */
  eventName: string;
  /** The user's facial id. */
  facialId: string;
  /** The public id of the FACEIO application. */
  appId: string;
  /** The address of the browser that ran fio.js. */
  clientIp: string;
  /** The data linked to the user at enrolment; absent on `DELETION`. */
  payload?: unknown;
  /** Sent on `ENROLL` only. */
  details?: {
    /** The enrolment date-time. */
    timestamp?: string;
    /** The enrolled user's gender. */
    gender?: string;
    /** The enrolled user's approximate age, as a string. */
    age?: string;
  };
}

const base = {
  facialId: '2d7f3b9c41e84a0f9b6c5d2e1f0a3b4cfioa8d2e',
  appId: 'fioa8d2e',
  clientIp: '203.0.113.24',
};

/**
 * Realistic FACEIO bodies, one per known event. Each call returns a fresh object; pass overrides to
 * change fields: `faceioFixture('ENROLL', { facialId: 'x' })`.
 */
export function faceioFixture(
  eventName: FaceioEventName,
  overrides: Partial<FaceioFixture> = {},
): FaceioFixture {
  const bodies: Record<FaceioEventName, FaceioFixture> = {
    ENROLL: {
      eventName: 'ENROLL',
      ...base,
      payload: { userId: 'u_1024', email: 'ada@example.com' },
      details: { timestamp: '2026-11-24T07:55:59', gender: 'female', age: '36' },
    },
    AUTH: { eventName: 'AUTH', ...base, payload: { userId: 'u_1024', email: 'ada@example.com' } },
    DELETION: { eventName: 'DELETION', ...base },
  };
  return { ...bodies[eventName], ...overrides };
}
