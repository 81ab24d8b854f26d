import {
  FaceDeliveryLog,
  filterRecent,
  summarise,
  unsettledFailures,
  type FaceDeliveryNote,
  type FaceDeliveryRecord,
  type FaceDeliverySummary,
  type StoredDelivery,
} from './face-delivery-log.js';

/** The delivery log of one instance, in memory: the newest `maxEntries` records. */
export class MemoryDeliveryLog extends FaceDeliveryLog {
  private readonly records: FaceDeliveryRecord[] = [];
  /** Bodies of failed inline deliveries, by seq, for replay; bounded like the records. */
  private readonly raws = new Map<string, StoredDelivery>();
  private next = 1;

  constructor(readonly maxEntries = 1_000) {
    super();
  }

  record(note: FaceDeliveryNote): void {
    const { raw, ...rest } = note;
    const seq = String(this.next++);
    const replayable = raw !== undefined && note.outcome === 'failed';
    this.records.push({ ...rest, seq, at: new Date().toISOString(), ...(replayable ? { replayable } : {}) });
    if (replayable) this.raws.set(seq, { provider: note.provider, tenant: note.tenant, id: note.id, raw });
    // Trimmed in batches (amortised O(1)); only the last maxEntries are ever read.
    if (this.records.length >= 2 * this.maxEntries) {
      for (const dropped of this.records.splice(0, this.records.length - this.maxEntries)) {
        this.raws.delete(dropped.seq);
      }
    } else if (this.records.length > this.maxEntries) {
      this.raws.delete(this.records[this.records.length - this.maxEntries - 1]!.seq);
    }
  }

  recent(limit = 200, query?: string): Promise<FaceDeliveryRecord[]> {
    return Promise.resolve(filterRecent(this.newestFirst(), limit, query));
  }

  failed(): Promise<FaceDeliveryRecord[]> {
    return Promise.resolve(unsettledFailures(this.newestFirst()));
  }

  rawOf(seq: string): Promise<StoredDelivery | undefined> {
    return Promise.resolve(this.raws.get(seq));
  }

  summary(sinceMs: number): Promise<FaceDeliverySummary> {
    return Promise.resolve(summarise(this.newestFirst(), sinceMs));
  }

  private *newestFirst(): Generator<FaceDeliveryRecord> {
    const first = Math.max(0, this.records.length - this.maxEntries);
    for (let i = this.records.length - 1; i >= first; i--) yield this.records[i]!;
  }
}
