import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  connectFailFast,
  type FaceWebhooksRedisClient,
  type FaceWebhooksRedisConnection,
} from '../redis/redis-connection.js';
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

/**
 * The delivery log in a capped Redis stream (`<prefix>deliveries`, `XADD MAXLEN ~ maxEntries`), so
 * the console of any instance shows every instance's deliveries and can replay a failure another
 * instance saw. Entry ids are Redis's (milliseconds first), so "the last hour" is a range read.
 * A failed inline delivery's verified body is stored in its entry, for replay. One key, so it
 * works on a Redis Cluster as it is.
 */
export class RedisDeliveryLog extends FaceDeliveryLog implements OnApplicationShutdown {
  private readonly logger = new Logger('FaceWebhooks');
  private readonly key: string;
  private lastErrorLog = 0;

  private constructor(
    private readonly redis: FaceWebhooksRedisClient,
    keyPrefix: string,
    private readonly maxEntries: number,
  ) {
    super();
    this.key = `${keyPrefix}deliveries`;
  }

  static async connect(connection: FaceWebhooksRedisConnection, keyPrefix: string, maxEntries = 1_000) {
    return new RedisDeliveryLog(await connectFailFast(connection), keyPrefix, maxEntries);
  }

  record(note: FaceDeliveryNote): void {
    const { raw, ...rest } = note;
    const replayable = raw !== undefined && note.outcome === 'failed';
    const fields = [
      'r',
      JSON.stringify({ ...rest, at: new Date().toISOString(), ...(replayable ? { replayable } : {}) }),
    ];
    if (replayable) fields.push('b', raw.toString('base64'));
    this.redis.xadd(this.key, 'MAXLEN', '~', this.maxEntries, '*', ...fields).catch((error: unknown) => {
      // The log must never hold up or fail a delivery; say so now and then.
      if (Date.now() - this.lastErrorLog < 60_000) return;
      this.lastErrorLog = Date.now();
      this.logger.warn(`Delivery log not written to Redis: ${(error as Error).message}`);
    });
  }

  async recent(limit = 200, query?: string): Promise<FaceDeliveryRecord[]> {
    return filterRecent(await this.read('+', '-'), limit, query);
  }

  async failed(): Promise<FaceDeliveryRecord[]> {
    return unsettledFailures(await this.read('+', '-'));
  }

  async rawOf(seq: string): Promise<StoredDelivery | undefined> {
    if (!/^\d+-\d+$/.test(seq)) return undefined;
    const [entry] = await this.redis.xrange(this.key, seq, seq);
    const fields = entry && toFields(entry[1]);
    if (!fields?.b || !fields.r) return undefined;
    const { provider, tenant, id } = JSON.parse(fields.r) as FaceDeliveryRecord;
    return { provider, tenant, id, raw: Buffer.from(fields.b, 'base64') };
  }

  async summary(sinceMs: number): Promise<FaceDeliverySummary> {
    return summarise(await this.read('+', String(Math.max(0, Math.floor(sinceMs)))), sinceMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Newest first, between two stream ids, at most maxEntries. */
  private async read(end: string, start: string): Promise<FaceDeliveryRecord[]> {
    const entries = await this.redis.xrevrange(this.key, end, start, 'COUNT', this.maxEntries);
    return entries.map(([id, list]) => ({
      ...(JSON.parse(toFields(list).r ?? '{}') as FaceDeliveryRecord),
      seq: id,
    }));
  }
}

function toFields(list: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[list[i]!] = list[i + 1]!;
  return fields;
}
