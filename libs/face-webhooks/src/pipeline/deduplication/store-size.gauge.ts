import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { FaceWebhookIdempotencyStore } from './idempotency-store.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';
import { FaceWebhooksTelemetry } from '../../observability/face-webhooks.telemetry.js';

/** `face_webhooks.deduplication.entries`: how many events the memory store remembers (memory mode). */
@Injectable()
export class StoreSizeGauge implements OnModuleInit {
  constructor(
    private readonly telemetry: FaceWebhooksTelemetry,
    @Inject(FaceWebhookIdempotencyStore) private readonly store: FaceWebhookIdempotencyStore,
  ) {}

  onModuleInit(): void {
    const store = this.store;
    if (!(store instanceof MemoryIdempotencyStore)) return; // Redis: ask Redis (DBSIZE, INFO)
    this.telemetry.observe(
      'face_webhooks.deduplication.entries',
      'Events the in-memory de-duplication store remembers (in flight or done)',
      '{event}',
      (result) => result.observe(store.size),
    );
  }
}
