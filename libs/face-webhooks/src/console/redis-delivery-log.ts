import { AtRestCipher } from '../contracts/at-rest-encryption.js';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  connectFailFast,
  type FaceWebhooksRedisClient,
  type FaceWebhooksRedisConnection,
} from '../redis/redis-connection.js';
import {
  FaceDeliveryLog,
  recordOf,
  type FaceDeliveryLogStatus,
  type LoggedDeliveryNote,
  type FaceDeliveryRecord,
  type StoredDelivery,
} from './face-delivery-log.js';

/** A record waiting to be written: what the console shows of it meanwhile, and the stream fields. */
interface Pending {
  readonly record: FaceDeliveryRecord;
  readonly fields: string[];
}

/**
 * The delivery log in a capped Redis stream (`<prefix>deliveries`, `XADD MAXLEN ~ maxEntries`), so
 * the console of any instance shows every instance's deliveries and can replay a failure another
 * instance saw. A failed inline delivery's verified body is stored in its entry, for replay. One
 * key, so it works on a Redis Cluster as it is.
 *
 * While Redis cannot be written, records wait in a bounded buffer in memory (at most
 * `maxEntries`; the oldest are dropped and counted beyond that) and are written in order when it
 * returns; the console shows them meanwhile, and says the log was unavailable.
 */
export class RedisDeliveryLog extends FaceDeliveryLog implements OnApplicationShutdown {
  private readonly logger = new Logger('FaceWebhooks');
  private readonly key: string;
  private lastErrorLog = 0;
  private readonly pending: Pending[] = [];
  private pendingSeq = 0;
  private outage?: { since: string; dropped: number; kept: number };
  private lastOutage?: FaceDeliveryLogStatus['lastOutage'];
  private flushTimer?: NodeJS.Timeout;
  private flushing = false;
  private closed = false;

  private constructor(
    private readonly redis: FaceWebhooksRedisClient,
    keyPrefix: string,
    private readonly maxEntries: number,
    private readonly retryMs: number,
    private readonly cipher: AtRestCipher,
  ) {
    super();
    this.key = `${keyPrefix}deliveries`;
  }

  static async connect(
    connection: FaceWebhooksRedisConnection,
    keyPrefix: string,
    maxEntries = 1_000,
    retryMs = 1_000,
    cipher = new AtRestCipher(),
  ) {
    return new RedisDeliveryLog(await connectFailFast(connection), keyPrefix, maxEntries, retryMs, cipher);
  }

  record(note: LoggedDeliveryNote): void {
    const record = recordOf(note, new Date().toISOString());
    const fields = ['r', JSON.stringify(record)];
    // The body kept for Replay: sealed under `encryptAtRest`, bound to this event.
    if (record.replayable && note.raw) {
      fields.push('b', this.cipher.seal(note.raw, keptBodyContext(note.provider, note.id)));
    }
    this.write(record, fields);
  }

  recordAttempt(attempt: Omit<FaceDeliveryRecord, 'seq' | 'at'>): void {
    const record = { ...attempt, at: new Date().toISOString() };
    this.write(record, ['r', JSON.stringify(record)]);
  }

  override status(): FaceDeliveryLogStatus {
    return {
      available: !this.outage,
      ...(this.outage ? { unavailableSince: this.outage.since } : {}),
      buffered: this.pending.length,
      dropped: this.outage?.dropped ?? 0,
      ...(this.lastOutage ? { lastOutage: this.lastOutage } : {}),
    };
  }

  /** Newest first, with what waits in the buffer; only the buffer while Redis cannot be read. */
  async entries(): Promise<FaceDeliveryRecord[]> {
    const buffered = this.pending.map((pending) => pending.record).reverse();
    try {
      const entries = await this.redis.xrevrange(this.key, '+', '-', 'COUNT', this.maxEntries);
      const stored = entries.map(([id, list]) => ({
        ...(JSON.parse(toFields(list).r ?? '{}') as FaceDeliveryRecord),
        seq: id,
      }));
      return [...buffered, ...stored];
    } catch (error) {
      if (buffered.length > 0 || this.outage) return buffered;
      throw error;
    }
  }

  async rawOf(seq: string): Promise<StoredDelivery | undefined> {
    if (!/^\d+-\d+$/.test(seq)) return undefined;
    const [entry] = await this.redis.xrange(this.key, seq, seq);
    const fields = entry && toFields(entry[1]);
    if (!fields?.b || !fields.r) return undefined;
    const { provider, tenant, id } = JSON.parse(fields.r) as FaceDeliveryRecord;
    return { provider, tenant, id, raw: this.cipher.open(fields.b, keptBodyContext(provider, id)) };
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.flushTimer);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private write(record: Omit<FaceDeliveryRecord, 'seq'>, fields: string[]): void {
    if (this.pending.length > 0 || this.outage) {
      this.buffer(record, fields);
      return;
    }
    this.xadd(fields).catch((error: unknown) => {
      this.buffer(record, fields);
      this.startOutage(error);
    });
  }

  private xadd(fields: string[]) {
    return this.redis.xadd(this.key, 'MAXLEN', '~', this.maxEntries, '*', ...fields);
  }

  private buffer(record: Omit<FaceDeliveryRecord, 'seq'>, fields: string[]): void {
    // Not replayable until written: its body is in Redis only then.
    const { replayable: _replayable, ...shown } = record as FaceDeliveryRecord;
    this.pending.push({ record: { ...shown, seq: `buffered-${++this.pendingSeq}` }, fields });
    if (this.outage) this.outage.kept++;
    if (this.pending.length > this.maxEntries) {
      this.pending.shift();
      if (this.outage) {
        this.outage.dropped++;
        this.outage.kept--;
      }
    }
    this.scheduleFlush();
  }

  private startOutage(error: unknown): void {
    this.outage ??= { since: new Date().toISOString(), dropped: 0, kept: this.pending.length };
    // The log must never hold up or fail a delivery; say so now and then.
    if (Date.now() - this.lastErrorLog < 60_000) return;
    this.lastErrorLog = Date.now();
    this.logger.warn(
      `Delivery log not written to Redis: ${(error as Error).message}; kept in memory until it returns`,
    );
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.retryMs);
    this.flushTimer.unref();
  }

  /** Writes the buffer in order; stops at the first failure and tries again later. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0 && !this.closed) {
        await this.xadd(this.pending[0]!.fields);
        this.pending.shift();
      }
      if (this.outage) {
        this.lastOutage = {
          from: this.outage.since,
          to: new Date().toISOString(),
          kept: this.outage.kept,
          dropped: this.outage.dropped,
        };
        this.outage = undefined;
        this.logger.log('Delivery log written to Redis again, with what was kept meanwhile');
      }
    } catch (error) {
      this.startOutage(error);
      this.scheduleFlush();
    } finally {
      this.flushing = false;
    }
  }
}

function toFields(list: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[list[i]!] = list[i + 1]!;
  return fields;
}

/** What a kept body is bound to: it opens only as the body of this provider's event. */
function keptBodyContext(provider: string, id: string | undefined): string {
  return `kept-body:${provider}:${id ?? ''}`;
}
