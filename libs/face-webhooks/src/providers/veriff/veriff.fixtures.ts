import { randomUUID } from 'node:crypto';
import { VERIFF_DECISION_CODES, VERIFF_EVENT_CODES, type VeriffEventType } from './veriff.event-types.js';

/** A Veriff decision webhook body as it arrives on the wire. */
export interface VeriffDecisionFixture {
  /** Always `success`. */
  status: 'success';
  /** The verification session and its decision. */
  verification: {
    /** A fresh session id (UUID). */
    id: string;
    /** A fresh attempt id (UUID). */
    attemptId: string;
    /** The status's decision code (9001, 9102, ...); 9999 for an undocumented status. */
    code: number;
    /** The status from the type: `approved`, `declined`, ... */
    status: string;
    /** Why, in words, on `declined` and `resubmission_requested`; `null` otherwise. */
    reason: string | null;
    /** The reason's code; `null` when there is none. */
    reasonCode: number | null;
    /** Your user's id: `user_4242`. */
    vendorData: string | null;
    /** `null`. */
    endUserId: string | null;
    /** When Veriff decided: now. */
    decisionTime: string | null;
    /** When the session was created: 15 minutes before. */
    acceptanceTime: string;
    /** When the end user submitted: 5 minutes before; `null` on `expired` and `abandoned`. */
    submissionTime: string | null;
    /** The verified person, a sample. */
    person: Record<string, unknown>;
    /** The verified document, a sample driving licence. */
    document: Record<string, unknown>;
    /** Reviewers' comments: none. */
    comments: unknown[];
    /** Extra verified data: none. */
    additionalVerifiedData: Record<string, unknown>;
    [field: string]: unknown;
  };
  /** The end user's technical data. */
  technicalData: {
    /** The end user's IP address. */
    ip: string | null;
  };
}

/** A Veriff event webhook body as it arrives on the wire. */
export interface VeriffEventFixture {
  /** A fresh session id (UUID). */
  id: string;
  /** A fresh attempt id (UUID). */
  attemptId: string;
  /** `selfid`. */
  feature: string;
  /** 7001 started, 7002 submitted; 7999 for an undocumented action. */
  code: number;
  /** The action from the type: `started` or `submitted`. */
  action: string;
  /** Your user's id: `user_4242`. */
  vendorData: string | null;
  /** `null`. */
  endUserId: string | null;
}

/** What {@link veriffFixture} returns: a decision webhook body for `decision.*`, an event webhook body for `event.*`. */
export type VeriffFixture = VeriffDecisionFixture | VeriffEventFixture;

const REASONS: Record<string, [string, number]> = {
  declined: ['Physical document not used', 102],
  resubmission_requested: ['Video and/or photos missing', 201],
};

/**
 * A realistic Veriff body of the given type, shaped like the samples of Veriff's decision and event
 * webhook documentation, with fresh session and attempt ids each call and `vendorData` `user_4242`.
 * `decision.<status>` gives a decision webhook (decided now), `event.<action>` an event webhook;
 * an undocumented status or action gets code 9999 / 7999.
 */
export function veriffFixture(type: VeriffEventType | (string & {}), now = new Date()): VeriffFixture {
  const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000).toISOString();
  const [kind, word = ''] = type.split(/\.(.*)/s) as [string, string?];
  if (kind === 'event') {
    return {
      id: randomUUID(),
      attemptId: randomUUID(),
      feature: 'selfid',
      code: (VERIFF_EVENT_CODES as Record<string, number>)[word] ?? 7999,
      action: word,
      vendorData: 'user_4242',
      endUserId: null,
    };
  }
  const [reason, reasonCode] = REASONS[word] ?? [null, null];
  return {
    status: 'success',
    verification: {
      id: randomUUID(),
      attemptId: randomUUID(),
      code: (VERIFF_DECISION_CODES as Record<string, number>)[word] ?? 9999,
      status: word,
      reason,
      reasonCode,
      vendorData: 'user_4242',
      endUserId: null,
      decisionTime: now.toISOString(),
      acceptanceTime: at(900),
      submissionTime: ['expired', 'abandoned'].includes(word) ? null : at(300),
      person: {
        firstName: 'SARAH',
        lastName: 'MORGAN',
        dateOfBirth: '1967-03-30',
        gender: null,
        idNumber: null,
        nationality: null,
        yearOfBirth: '1967',
        placeOfBirth: 'MADRID',
      },
      document: {
        number: 'MORGA753116SM9IJ',
        type: 'DRIVERS_LICENSE',
        country: 'GB',
        validFrom: null,
        validUntil: '2032-04-04',
      },
      comments: [],
      additionalVerifiedData: {},
      riskLabels: [],
    },
    technicalData: { ip: '186.153.67.122' },
  };
}
