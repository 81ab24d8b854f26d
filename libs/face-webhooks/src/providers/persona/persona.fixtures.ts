import { randomBytes } from 'node:crypto';
import {
  PERSONA_INQUIRY_EVENT_TYPES,
  type PersonaEventType,
  type PersonaInquiryStatus,
} from './persona.event-types.js';

/** A Persona body as it arrives on the wire (kebab-case keys, Persona's default inflection). */
export interface PersonaFixture {
  /** The event resource. */
  data: {
    /** Always `'event'`. */
    type: 'event';
    /** A fresh event id, `evt_...`. */
    id: string;
    /** The event's name, time and payload. */
    attributes: {
      /** The event name, `inquiry.approved`, ... */
      name: string;
      /** When the event was created: now. */
      'created-at': string;
      /** The object the event is about. */
      payload: {
        /** An inquiry (`reference-id` `user_4242`), or for `verification.*` a government-id verification. */
        data: {
          /** `inquiry` or `verification/government-id`. */
          type: string;
          /** A fresh `inq_...` or `ver_...` id. */
          id: string;
          /** Its status, timestamps and other attributes, kebab-case. */
          attributes: Record<string, unknown>;
          /** Its template, verifications or inquiry. */
          relationships?: object;
        };
        /** The inquiry template. */
        included: object[];
      };
    };
  };
}

const INQUIRY_STATUS: Record<(typeof PERSONA_INQUIRY_EVENT_TYPES)[number], PersonaInquiryStatus> = {
  'inquiry.completed': 'completed',
  'inquiry.approved': 'approved',
  'inquiry.declined': 'declined',
  'inquiry.marked-for-review': 'needs_review',
  'inquiry.failed': 'failed',
  'inquiry.expired': 'expired',
};

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789';
/** A Persona-style id: prefix and 24 base58 characters. */
const personaId = (prefix: string): string =>
  `${prefix}_${Array.from(randomBytes(24), (byte) => ALPHABET[byte % ALPHABET.length]).join('')}`;

/**
 * A realistic Persona webhook body of the given event name, shaped like the example in Persona's
 * webhooks documentation, with fresh event, inquiry and verification ids each call. Inquiry events
 * carry an inquiry (`reference-id` `user_4242`); `verification.*` events a government-id
 * verification. Other names get an inquiry payload too, for wildcard handlers.
 */
export function personaFixture(name: PersonaEventType | (string & {}), now = new Date()): PersonaFixture {
  const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000).toISOString();
  const inquiryId = personaId('inq');
  const governmentId = personaId('ver');
  const selfie = personaId('ver');
  const template = personaId('itmpl');
  const verification = name.startsWith('verification.');
  const passed = name !== 'verification.failed';
  const data = verification
    ? {
        type: 'verification/government-id',
        id: governmentId,
        attributes: {
          status: passed ? 'passed' : 'failed',
          'created-at': at(120),
          'submitted-at': at(30),
          'completed-at': at(1),
          'country-code': 'US',
          'id-class': 'dl',
          checks: [
            {
              name: 'id_expired_detection',
              status: passed ? 'passed' : 'failed',
              reasons: passed ? [] : ['expired'],
            },
            { name: 'id_barcode_detection', status: 'passed', reasons: [] },
          ],
        },
        relationships: { inquiry: { data: { type: 'inquiry', id: inquiryId } } },
      }
    : {
        type: 'inquiry',
        id: inquiryId,
        attributes: {
          status: INQUIRY_STATUS[name as keyof typeof INQUIRY_STATUS] ?? 'pending',
          'reference-id': 'user_4242',
          note: null,
          tags: [],
          'created-at': at(600),
          'started-at': at(540),
          'completed-at': name === 'inquiry.expired' ? null : at(60),
          'failed-at': name === 'inquiry.failed' ? at(60) : null,
          'decisioned-at': ['inquiry.approved', 'inquiry.declined'].includes(name) ? at(1) : null,
          'expired-at': name === 'inquiry.expired' ? at(1) : null,
        },
        relationships: {
          template: { data: { type: 'inquiry-template', id: template } },
          verifications: {
            data: [
              { type: 'verification/government-id', id: governmentId },
              { type: 'verification/selfie', id: selfie },
            ],
          },
        },
      };
  return {
    data: {
      type: 'event',
      id: personaId('evt'),
      attributes: {
        name,
        'created-at': now.toISOString(),
        payload: {
          data,
          included: [{ type: 'inquiry-template', id: template, attributes: { name: 'KYC + selfie' } }],
        },
      },
    },
  };
}
