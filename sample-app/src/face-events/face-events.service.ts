import { Injectable } from '@nestjs/common';
import { OnFaceEvent, type AnyFaceEvent } from 'nestjs-face-webhooks';

export interface AuditEntry {
  readonly provider: string;
  /** The tenant, for deliveries to /webhooks/<provider>/<tenant>. */
  readonly tenant?: string;
  readonly type: string;
  readonly id: string;
  readonly receivedAt: string;
}

const MAX_ENTRIES = 1_000;

/** Audit trail of every handled face event, oldest first (the last 1 000 are kept). */
@Injectable()
export class FaceEventsService {
  private readonly entries = new Map<string, AuditEntry>();

  @OnFaceEvent('**')
  record(event: AnyFaceEvent): void {
    // Handlers run again when a sibling handler failed and the provider retried: record once.
    const key = `${event.provider}/${event.tenant ?? ''}:${event.id}`;
    if (this.entries.has(key)) return;
    this.entries.set(key, {
      provider: event.provider,
      tenant: event.tenant,
      type: event.type,
      id: event.id,
      receivedAt: event.receivedAt.toISOString(),
    });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  list(): AuditEntry[] {
    return [...this.entries.values()];
  }
}
