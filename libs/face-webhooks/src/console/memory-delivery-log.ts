import {
  FaceDeliveryLog,
  recordOf,
  type LoggedDeliveryNote,
  type FaceDeliveryRecord,
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

  record(note: LoggedDeliveryNote): void {
    const seq = String(this.next++);
    const record = { ...recordOf(note, new Date().toISOString()), seq };
    this.push(record);
    if (record.replayable && note.raw) {
      this.raws.set(seq, { provider: note.provider, tenant: note.tenant, id: note.id, raw: note.raw });
    }
  }

  recordAttempt(attempt: Omit<FaceDeliveryRecord, 'seq' | 'at'>): void {
    this.push({ ...attempt, seq: String(this.next++), at: new Date().toISOString() });
  }

  entries(): Promise<FaceDeliveryRecord[]> {
    return Promise.resolve([...this.newestFirst()]);
  }

  rawOf(seq: string): Promise<StoredDelivery | undefined> {
    return Promise.resolve(this.raws.get(seq));
  }

  private push(record: FaceDeliveryRecord): void {
    this.records.push(record);
    // Trimmed in batches (amortised O(1)); only the last maxEntries are ever read.
    if (this.records.length >= 2 * this.maxEntries) {
      for (const dropped of this.records.splice(0, this.records.length - this.maxEntries)) {
        this.raws.delete(dropped.seq);
      }
    } else if (this.records.length > this.maxEntries) {
      this.raws.delete(this.records[this.records.length - this.maxEntries - 1]!.seq);
    }
  }

  private *newestFirst(): Generator<FaceDeliveryRecord> {
    const first = Math.max(0, this.records.length - this.maxEntries);
    for (let i = this.records.length - 1; i >= first; i--) yield this.records[i]!;
  }
}
