import type { FaceWebhooksConsolePayloadInput } from './face-webhooks-console.options.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  FaceDeliveryNote,
  FaceDeliveryOutcome,
  FaceHandlerRun,
} from '../contracts/face-delivery-outcome.js';
import type { FaceWebhookRefusalReason } from '../contracts/refusal-reason.js';

/** One delivery (or one replay of it) as the console shows it: never a secret, a signature or a body. */
export interface FaceDeliveryRecord {
  /** This record's id in the log (a number in memory, a stream entry id in Redis). */
  readonly seq: string;
  /** When it was answered, ISO 8601. */
  readonly at: string;
  /** The provider it came to, `faceio`, `persona`, ... */
  readonly provider: string;
  /** The tenant of a tenant route's delivery. */
  readonly tenant?: string;
  /** Known once the body validated. */
  readonly type?: string;
  /** The event id, known once the body validated. */
  readonly id?: string;
  /** How it was answered: `accepted`, `duplicate`, `queued`, `rejected`, `failed`, ... */
  readonly outcome: FaceDeliveryOutcome;
  /** Why it was refused, for `rejected`: a short stable code such as `signature_mismatch`. */
  readonly reason?: FaceWebhookRefusalReason;
  /** How long it took to answer, in ms. */
  readonly durationMs: number;
  /** Whether the console can replay it (an inline delivery whose handler failed). */
  readonly replayable?: boolean;
  /** The request's headers, credentials masked. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The handlers that ran inline, with their durations and errors. */
  readonly handlers?: readonly FaceHandlerRun[];
  /** The first line of the error it was answered with. */
  readonly message?: string;
  /** What the console's `payload` hook chose to show of the body (nothing without the hook). */
  readonly payload?: Readonly<Record<string, unknown>>;
  /** For a replay: the seq of the delivery it is an attempt of. */
  readonly replayOf?: string;
  /** For a replay: the console user who asked for it. */
  readonly replayedBy?: string;
  /** For a replay: inline (run again here) or queued (a failed job sent back to the workers). */
  readonly replayMode?: 'inline' | 'queued';
}

/** A delivery in a listing: the record, and how many replays it has had and the last one's outcome. */
export interface FaceDeliveryRow extends FaceDeliveryRecord {
  /** How many times it ran: the delivery itself, plus one per console replay. */
  readonly attempts: number;
  /** The outcome of its last replay, or its own outcome when it has none. */
  readonly lastOutcome: FaceDeliveryOutcome;
}

export type { FaceDeliveryNote };

/** A delivery as the log receives it: the telemetry's note, and what the payload hook showed. */
export type LoggedDeliveryNote = FaceDeliveryNote & { readonly payload?: Readonly<Record<string, unknown>> };

/** Largest JSON the payload hook's answer may take in the log. */
const MAX_SHOWN_PAYLOAD = 4096;

/**
 * The note with what `show` returns for its body, for authenticated deliveries only. Never throws:
 * a hook that throws, returns no object, or returns more than 4 KB of JSON shows a marker instead.
 */
export function withShownPayload(
  note: FaceDeliveryNote,
  show: (delivery: FaceWebhooksConsolePayloadInput) => Record<string, unknown> | undefined,
): LoggedDeliveryNote {
  if (!note.raw || note.outcome === 'rejected') return note;
  let payload: Record<string, unknown> | undefined;
  try {
    const body: unknown = JSON.parse(note.raw.toString('utf8'));
    payload = show({ provider: note.provider, tenant: note.tenant, type: note.type, id: note.id, body });
    if (payload === undefined) return note;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      payload = { '(not shown)': 'the console payload hook did not return an object' };
    } else if (JSON.stringify(payload).length > MAX_SHOWN_PAYLOAD) {
      payload = { '(not shown)': `the console payload hook returned more than ${MAX_SHOWN_PAYLOAD} bytes` };
    }
  } catch {
    payload = { '(not shown)': 'the console payload hook failed' };
  }
  return { ...note, payload };
}

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

/** What a listing is narrowed to. Every field is optional; `q` matches an event id or a seq. */
export interface FaceDeliveryFilter {
  /** Only this provider's deliveries. */
  readonly provider?: string;
  /** Only deliveries with this outcome (`accepted`, `rejected`, ...). */
  readonly outcome?: string;
  /** Only refusals for this reason (`signature_mismatch`, ...). */
  readonly reason?: string;
  /** Only this tenant's deliveries. */
  readonly tenant?: string;
  /** Epoch ms, inclusive. */
  readonly since?: number;
  /** Epoch ms, inclusive. */
  readonly until?: number;
  /** An event id or a seq to find. */
  readonly q?: string;
}

/** Whether the log could be written, and its last outage (Redis only). */
export interface FaceDeliveryLogStatus {
  /** Whether records are being written now (always `true` in memory). */
  readonly available: boolean;
  /** ISO time the current outage began. */
  readonly unavailableSince?: string;
  /** Records kept in memory, waiting to be written. */
  readonly buffered: number;
  /** Records lost because the buffer was full. */
  readonly dropped: number;
  /** The last outage that ended, if there was one. */
  readonly lastOutage?: {
    /** When it began, ISO 8601. */
    readonly from: string;
    /** When Redis could be written again, ISO 8601. */
    readonly to: string;
    /** Records kept in memory meanwhile, and written when it ended. */
    readonly kept: number;
    /** Records lost meanwhile because the buffer was full. */
    readonly dropped: number;
  };
}

/** Who replays what: set around a console replay so the log records it as an attempt, not a delivery. */
export const replayContext = new AsyncLocalStorage<{ of: string; by: string }>();

/**
 * The console's bounded log of recent deliveries: in memory per instance by default, in a capped
 * Redis stream shared by every instance when the module has `redis`. `record` never fails or
 * waits: a delivery does not depend on its log.
 */
export abstract class FaceDeliveryLog {
  abstract record(note: LoggedDeliveryNote): void;
  /** Every record it holds (at most maxEntries), newest first. */
  abstract entries(): Promise<FaceDeliveryRecord[]>;
  /** The verified body of a replayable record. */
  abstract rawOf(seq: string): Promise<StoredDelivery | undefined>;
  /** Records a queued replay (a failed job sent back to the workers) as an attempt of `of`. */
  abstract recordAttempt(record: Omit<FaceDeliveryRecord, 'seq' | 'at'>): void;

  status(): FaceDeliveryLogStatus {
    return { available: true, buffered: 0, dropped: 0 };
  }

  /** Newest first: `query` matches part of the event id (kept for callers of the first API). */
  async recent(limit = 200, query?: string): Promise<FaceDeliveryRow[]> {
    return (await this.page({ q: query }, limit)).deliveries;
  }

  /**
   * One page of deliveries matching `filter`, newest first, older than the `before` cursor (a
   * seq); replays are attempts of their delivery, not rows. `next` is the cursor of the next page.
   */
  async page(
    filter: FaceDeliveryFilter,
    limit = 50,
    before?: string,
  ): Promise<{ deliveries: FaceDeliveryRow[]; next?: string; total: number }> {
    const all = await this.entries();
    const rows = rowsOf(all).filter((row) => matches(row, filter));
    let start = 0;
    if (before !== undefined) {
      const at = rows.findIndex((row) => row.seq === before);
      start = at >= 0 ? at + 1 : rows.findIndex((row) => compareSeq(row.seq, before) < 0);
      if (start < 0) start = rows.length;
    }
    const deliveries = rows.slice(start, start + limit);
    const next = start + limit < rows.length ? deliveries[deliveries.length - 1]?.seq : undefined;
    return { deliveries, total: rows.length, ...(next ? { next } : {}) };
  }

  /** One delivery with every attempt (its replays), oldest first. */
  async detail(
    seq: string,
  ): Promise<{ delivery: FaceDeliveryRow; attempts: FaceDeliveryRecord[] } | undefined> {
    const all = await this.entries();
    const own = all.find((record) => record.seq === seq);
    if (!own) return undefined;
    const origin = own.replayOf ? (all.find((record) => record.seq === own.replayOf) ?? own) : own;
    const row = rowsOf(all).find((candidate) => candidate.seq === origin.seq)!;
    const replays = all.filter((record) => record.replayOf === origin.seq).reverse();
    return { delivery: row, attempts: [origin, ...replays] };
  }

  /** Inline deliveries whose handlers failed and that no later delivery of the event settled. */
  async failed(filter: FaceDeliveryFilter = {}): Promise<FaceDeliveryRecord[]> {
    return unsettledFailures(await this.entries()).filter((record) => matches(record, filter));
  }

  /** Counts since `sinceMs` (epoch ms). */
  async summary(sinceMs: number): Promise<FaceDeliverySummary> {
    return summarise(await this.entries(), sinceMs);
  }
}

/** Orders two seqs (numbers, or Redis stream ids `ms-n`): negative when a is older. */
export function compareSeq(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('-').map(Number);
  const [bm = 0, bn = 0] = b.split('-').map(Number);
  return am - bm || an - bn;
}

/** The deliveries (not replays) with their attempt counts, newest first. */
function rowsOf(newestFirst: readonly FaceDeliveryRecord[]): FaceDeliveryRow[] {
  const replays = new Map<string, FaceDeliveryRecord[]>();
  for (const record of newestFirst) {
    if (record.replayOf) {
      const list = replays.get(record.replayOf) ?? [];
      list.push(record);
      replays.set(record.replayOf, list);
    }
  }
  const rows: FaceDeliveryRow[] = [];
  for (const record of newestFirst) {
    if (record.replayOf) continue;
    const own = replays.get(record.seq);
    rows.push({
      ...record,
      attempts: 1 + (own?.length ?? 0),
      lastOutcome: own?.[0]?.outcome ?? record.outcome,
    });
  }
  return rows;
}

function matches(record: FaceDeliveryRecord, filter: FaceDeliveryFilter): boolean {
  if (filter.provider && record.provider !== filter.provider) return false;
  if (filter.outcome) {
    const last = (record as Partial<FaceDeliveryRow>).lastOutcome;
    if (record.outcome !== filter.outcome && last !== filter.outcome) return false;
  }
  if (filter.reason && record.reason !== filter.reason) return false;
  if (filter.tenant && record.tenant !== filter.tenant) return false;
  const at = Date.parse(record.at);
  if (filter.since !== undefined && at < filter.since) return false;
  if (filter.until !== undefined && at > filter.until) return false;
  if (filter.q && !(record.id?.includes(filter.q) || record.seq === filter.q)) return false;
  return true;
}

/** The failed, replayable deliveries no later delivery or replay of their event settled, newest first. */
export function unsettledFailures(newestFirst: Iterable<FaceDeliveryRecord>): FaceDeliveryRecord[] {
  const settled = new Set<string>();
  const out: FaceDeliveryRecord[] = [];
  for (const record of newestFirst) {
    const key = `${record.provider}/${record.tenant ?? ''}:${record.id}`;
    if (record.outcome === 'accepted' || record.outcome === 'duplicate' || record.outcome === 'queued') {
      settled.add(key);
    } else if (record.replayable && !record.replayOf && !settled.has(key)) {
      settled.add(key);
      out.push(record);
    }
  }
  return out;
}

/** Counts of deliveries (not replays) at or after `sinceMs`, given newest first. */
export function summarise(newestFirst: Iterable<FaceDeliveryRecord>, sinceMs: number): FaceDeliverySummary {
  const counts: Record<string, Record<string, number>> = {};
  const refusals: Record<string, Record<string, number>> = {};
  for (const record of newestFirst) {
    if (record.replayOf || Date.parse(record.at) < sinceMs) continue;
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

/** Header names whose values are credentials. */
const SECRET_HEADER =
  /authorization|signature|token|secret|key|cookie|hmac|password|passwd|credential|auth|sig\b|-sig|digest/i;

/** A header value as the log keeps it: a credential's is masked, every value bounded. */
export function maskHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>> | undefined,
): Record<string, string> | undefined {
  if (!headers) return undefined;
  const out: Record<string, string> = {};
  let n = 0;
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined || n++ >= 60) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : String(raw);
    const secret = SECRET_HEADER.test(name) || /^(bearer|basic|digest|hmac)\s/i.test(value);
    out[name.toLowerCase().slice(0, 100)] = secret
      ? `•••• masked (${value.length} ${value.length === 1 ? 'character' : 'characters'})`
      : value.slice(0, 300);
  }
  return out;
}

/** The record kept of a note: masked headers, no body; a replay's attempt links to its delivery. */
export function recordOf(note: LoggedDeliveryNote, at: string): Omit<FaceDeliveryRecord, 'seq'> {
  const { raw, headers, ...rest } = note;
  const replay = replayContext.getStore();
  const replayable = raw !== undefined && note.outcome === 'failed';
  const masked = maskHeaders(headers);
  return {
    ...rest,
    at,
    ...(replayable ? { replayable } : {}),
    ...(masked ? { headers: masked } : {}),
    ...(replay ? { replayOf: replay.of, replayedBy: replay.by, replayMode: 'inline' as const } : {}),
  };
}
