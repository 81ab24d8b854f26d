import type { FaceDeliveryNote, FaceDeliveryOutcome } from '../contracts/face-delivery-outcome.js';
import type { FaceWebhookRefusalReason } from '../contracts/refusal-reason.js';

/** One delivery as the console shows it: never a secret, a signature or a body. */
export interface FaceDeliveryRecord {
  /** This record's id in the log (a number in memory, a stream entry id in Redis). */
  readonly seq: string;
  /** When it was answered, ISO 8601. */
  readonly at: string;
  readonly provider: string;
  /** The tenant of a tenant route's delivery. */
  readonly tenant?: string;
  /** Known once the body validated. */
  readonly type?: string;
  readonly id?: string;
  readonly outcome: FaceDeliveryOutcome;
  readonly reason?: FaceWebhookRefusalReason;
  readonly durationMs: number;
  /** Whether the console can replay it (an inline delivery whose handler failed). */
  readonly replayable?: boolean;
}

export type { FaceDeliveryNote };

/** A replayable delivery's verified body, with what is needed to run it again. */
export interface StoredDelivery {
  readonly provider: string;
  readonly tenant?: string;
  /** The event id it was received with. */
  readonly id?: string;
  readonly raw: Buffer;
}

/** Counts per provider and outcome, and refusals per provider and reason. */
export interface FaceDeliverySummary {
  readonly counts: Record<string, Record<string, number>>;
  readonly refusals: Record<string, Record<string, number>>;
}

/**
 * The console's bounded log of recent deliveries: in memory per instance by default, in a capped
 * Redis stream shared by every instance when the module has `redis`. `record` never fails or
 * waits: a delivery does not depend on its log.
 */
export abstract class FaceDeliveryLog {
  abstract record(note: FaceDeliveryNote): void;
  /** Newest first; `query` matches part of the event id. */
  abstract recent(limit?: number, query?: string): Promise<FaceDeliveryRecord[]>;
  /** Inline deliveries whose handlers failed and that no later delivery of the event settled. */
  abstract failed(): Promise<FaceDeliveryRecord[]>;
  /** The verified body of a replayable record. */
  abstract rawOf(seq: string): Promise<StoredDelivery | undefined>;
  /** Counts since `sinceMs` (epoch ms). */
  abstract summary(sinceMs: number): Promise<FaceDeliverySummary>;
}

/** Newest first: `query` filters by event id. Shared by both logs. */
export function filterRecent(newestFirst: Iterable<FaceDeliveryRecord>, limit: number, query?: string) {
  const out: FaceDeliveryRecord[] = [];
  for (const record of newestFirst) {
    if (out.length >= limit) break;
    if (!query || record.id?.includes(query)) out.push(record);
  }
  return out;
}

/** The failed, replayable records no later delivery of their event settled, newest first. */
export function unsettledFailures(newestFirst: Iterable<FaceDeliveryRecord>): FaceDeliveryRecord[] {
  const settled = new Set<string>();
  const out: FaceDeliveryRecord[] = [];
  for (const record of newestFirst) {
    const key = `${record.provider}/${record.tenant ?? ''}:${record.id}`;
    if (record.outcome === 'accepted' || record.outcome === 'duplicate' || record.outcome === 'queued') {
      settled.add(key);
    } else if (record.replayable && !settled.has(key)) {
      settled.add(key);
      out.push(record);
    }
  }
  return out;
}

/** Counts of records at or after `sinceMs`, given newest first. */
export function summarise(newestFirst: Iterable<FaceDeliveryRecord>, sinceMs: number): FaceDeliverySummary {
  const counts: Record<string, Record<string, number>> = {};
  const refusals: Record<string, Record<string, number>> = {};
  for (const record of newestFirst) {
    if (Date.parse(record.at) < sinceMs) break;
    const byOutcome = (counts[record.provider] ??= {});
    byOutcome[record.outcome] = (byOutcome[record.outcome] ?? 0) + 1;
    if (record.outcome === 'rejected') {
      const byReason = (refusals[record.provider] ??= {});
      const reason = record.reason ?? 'other';
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    }
  }
  return { counts, refusals };
}
