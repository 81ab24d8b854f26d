import type { FaceDeliveryOutcome } from '../observability/face-webhooks.telemetry.js';
import type { FaceWebhookRefusalReason } from '../observability/refusal-reason.js';

/** One delivery as the console shows it: never a secret, a signature or a body. */
export interface FaceDeliveryRecord {
  /** Increasing number of this record in this log. */
  readonly seq: number;
  /** When it was answered, ISO 8601. */
  readonly at: string;
  readonly provider: string;
  /** Known once the body validated. */
  readonly type?: string;
  readonly id?: string;
  readonly outcome: FaceDeliveryOutcome;
  readonly reason?: FaceWebhookRefusalReason;
  readonly durationMs: number;
  /** Whether the console can replay it (an inline delivery whose handler failed). */
  readonly replayable?: boolean;
}

/** What the receiver reports of a delivery; the raw body only when a handler failed (for replay). */
export type FaceDeliveryNote = Omit<FaceDeliveryRecord, 'seq' | 'at' | 'replayable'> & {
  readonly raw?: Buffer;
};

/**
 * The console's bounded log of recent deliveries, newest kept. In memory, per instance (a Redis
 * stream shared by every instance is the planned next step).
 */
export class FaceDeliveryLog {
  private readonly records: FaceDeliveryRecord[] = [];
  /** Raw bodies of failed inline deliveries, by seq, for replay; bounded like the records. */
  private readonly raws = new Map<number, Buffer>();
  private next = 1;

  constructor(readonly maxEntries = 1_000) {}

  record(note: FaceDeliveryNote): void {
    const { raw, ...rest } = note;
    const seq = this.next++;
    const replayable = raw !== undefined && note.outcome === 'failed';
    this.records.push({ ...rest, seq, at: new Date().toISOString(), ...(replayable ? { replayable } : {}) });
    if (replayable) this.raws.set(seq, raw);
    // Trimmed in batches (amortised O(1)); only the last maxEntries are ever read.
    if (this.records.length >= 2 * this.maxEntries) {
      for (const dropped of this.records.splice(0, this.records.length - this.maxEntries)) {
        this.raws.delete(dropped.seq);
      }
    } else if (this.records.length > this.maxEntries) {
      this.raws.delete(this.records[this.records.length - this.maxEntries - 1]!.seq);
    }
  }

  /** Index of the oldest record still in the log. */
  private get first(): number {
    return Math.max(0, this.records.length - this.maxEntries);
  }

  /** Newest first; `query` matches part of the event id. */
  recent(limit = 200, query?: string): FaceDeliveryRecord[] {
    const out: FaceDeliveryRecord[] = [];
    for (let i = this.records.length - 1; i >= this.first && out.length < limit; i--) {
      const record = this.records[i]!;
      if (!query || record.id?.includes(query)) out.push(record);
    }
    return out;
  }

  /** Inline deliveries whose handlers failed and that no later delivery of the event settled. */
  failed(): FaceDeliveryRecord[] {
    const settled = new Set<string>();
    const out: FaceDeliveryRecord[] = [];
    for (let i = this.records.length - 1; i >= this.first; i--) {
      const record = this.records[i]!;
      const key = `${record.provider}:${record.id}`;
      if (record.outcome === 'accepted' || record.outcome === 'duplicate' || record.outcome === 'queued') {
        settled.add(key);
      } else if (record.replayable && !settled.has(key)) {
        settled.add(key);
        out.push(record);
      }
    }
    return out;
  }

  rawOf(seq: number): { provider: string; raw: Buffer } | undefined {
    const raw = this.raws.get(seq);
    const record = this.records.find((candidate, index) => index >= this.first && candidate.seq === seq);
    return raw && record ? { provider: record.provider, raw } : undefined;
  }

  /** Counts per provider and outcome, and refusals per reason, since `sinceMs` (epoch ms). */
  summary(sinceMs: number) {
    const counts: Record<string, Record<string, number>> = {};
    const refusals: Record<string, Record<string, number>> = {};
    for (let i = this.records.length - 1; i >= this.first; i--) {
      const record = this.records[i]!;
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
}
