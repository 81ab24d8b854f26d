import type { WebhookAuthResult } from './face-webhook-provider.interface.js';

/**
 * The replay defence of a sender that signs no time: an event whose own time (`eventTimeMs`, read
 * from the verified body) is older than `maxAgeMs`, or more than `futureToleranceSeconds` ahead of
 * now, is refused (`event_too_old`); an accepted one stays fresh until `eventTimeMs + maxAgeMs`, so
 * its de-duplication record is kept at least that long. `subject` names the time in the refusal.
 */
export function checkEventAge(
  subject: string,
  eventTimeMs: number,
  maxAgeMs: number,
  futureToleranceSeconds: number,
): WebhookAuthResult {
  const age = Date.now() - eventTimeMs;
  if (age > maxAgeMs) {
    return {
      ok: false,
      reason: `${subject} is older than maxEventAgeSeconds (${maxAgeMs / 1000})`,
      code: 'event_too_old',
    };
  }
  if (-age > futureToleranceSeconds * 1000) {
    return {
      ok: false,
      reason: `${subject} is more than ${futureToleranceSeconds} s ahead of now`,
      code: 'event_too_old',
    };
  }
  return { ok: true, freshUntilMs: eventTimeMs + maxAgeMs };
}
