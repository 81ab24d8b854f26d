import { BadRequestException } from '@nestjs/common';
import { validateDto } from './body/dto-validation.js';
import { parseJsonObject } from './body/json-body.js';
import type { FaceWebhookProvider } from '../contracts/face-webhook-provider.interface.js';
import type { FaceEvent } from '../contracts/face-event.interface.js';

/**
 * Parses, validates and describes a body into the envelope handlers receive. Used on receipt and
 * again by a queue worker, which gets the raw bytes back from the queue. Invalid input throws a 400.
 */
export function buildFaceEvent(
  provider: FaceWebhookProvider,
  rawBody: Buffer,
  receivedAt: Date,
  tenant?: string,
  /** The id the authenticated headers carried (`WebhookAuthSuccess.eventId`), over `describe`'s. */
  eventId?: string,
): FaceEvent {
  const body = parseJsonObject(rawBody);
  const data = validateDto(provider.selectDto?.(body) ?? provider.dto, body);
  const description = provider.describe(data, rawBody);
  const occurredAt = description.occurredAt ?? receivedAt;
  // The DTOs refuse times Date cannot read; this stops any that slip through, as a 400 and not as
  // an Invalid Date that makes every handler (and so every retry) fail.
  if (Number.isNaN(occurredAt.getTime())) {
    throw new BadRequestException(`The ${provider.name} event's time could not be read`);
  }
  const event: { -readonly [K in keyof FaceEvent]: FaceEvent[K] } = {
    provider: provider.name,
    type: `${provider.name}.${description.type}`,
    id: eventId ?? description.id,
    occurredAt,
    receivedAt,
    data,
    raw: rawBody,
  };
  if (tenant !== undefined) event.tenant = tenant;
  return event;
}

/**
 * The de-duplication key of an event: unique across providers and tenants. Two tenants' identical
 * bodies are two events (`faceio/acme:<id>`, `faceio/zenith:<id>`), and neither is an event of the
 * route without a tenant (`faceio:<id>`): a tenant id holds no `:` and a provider name no `/`.
 */
export const deduplicationKey = (event: Pick<FaceEvent, 'provider' | 'id' | 'tenant'>): string =>
  event.tenant === undefined
    ? `${event.provider}:${event.id}`
    : `${event.provider}/${event.tenant}:${event.id}`;
