import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { FACE_EVENT_HANDLER_METADATA } from '../../contracts/face-webhooks.tokens.js';
import { ATTR, FaceWebhooksTelemetry } from '../../observability/face-webhooks.telemetry.js';
import type { FaceEvent } from '../../contracts/face-event.interface.js';

/** What one handler did with one event. */
export interface HandlerOutcome {
  readonly handler: string;
  readonly error?: unknown;
}

/** What earlier attempts of an event did, and how to record what this one does. */
export interface DispatchProgress {
  /** Handlers that already finished for this event. */
  readonly skip?: ReadonlySet<string>;
  /** Called after each handler that succeeds; must not reject. */
  readonly onFinished?: (handler: string) => Promise<void>;
}

type Listener = (event: FaceEvent, progress?: DispatchProgress) => Promise<HandlerOutcome | null>;

/** Event types whose handlers are remembered: more than the providers define, fewer than a flood of made-up ones. */
const REMEMBERED_TYPES = 256;

/**
 * Finds every `@OnFaceEvent` method at startup and runs the matching ones for an event. Matching
 * (`*` one segment, `**` the rest) is EventEmitter2's, the engine of `@nestjs/event-emitter`, on a
 * private emitter so the app's own events never mix with webhooks; the handlers of an event type
 * are looked up once and remembered (for the first {@link REMEMBERED_TYPES} types), so a delivery
 * does not search the pattern tree. Unlike a plain emitter it waits for every handler and reports
 * each failure instead of stopping at the first.
 */
@Injectable()
export class FaceEventDispatcher implements OnModuleInit {
  private readonly logger = new Logger('FaceWebhooks');
  private readonly emitter = new EventEmitter2({ wildcard: true, delimiter: '.', maxListeners: 0 });
  private readonly names = new Set<string>();
  private readonly listenersByType = new Map<string, readonly Listener[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly telemetry: FaceWebhooksTelemetry,
  ) {}

  onModuleInit(): void {
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = (instance as Record<string, unknown>)[methodName];
        if (typeof method !== 'function') continue;
        const patterns = Reflect.getMetadata(FACE_EVENT_HANDLER_METADATA, method) as string[] | undefined;
        if (!patterns) continue;
        const name = `${instance.constructor.name}.${methodName}`;
        if (!wrapper.isDependencyTreeStatic()) {
          this.logger.error(
            `${name} is request-scoped; @OnFaceEvent handlers must live in singleton providers`,
          );
          continue;
        }
        this.register(
          patterns,
          this.uniqueName(name),
          method.bind(instance) as (event: FaceEvent) => unknown,
        );
      }
    }
  }

  /**
   * Runs every handler whose pattern matches `event.type`, except those in `skip` (they finished on
   * an earlier attempt; they get no outcome), and awaits `onFinished` after each one that succeeds.
   * Never rejects.
   */
  async dispatch(event: FaceEvent, progress?: DispatchProgress): Promise<HandlerOutcome[]> {
    const listeners = this.listenersOf(event.type);
    const outcomes = await Promise.all(listeners.map((listener) => listener(event, progress)));
    return progress?.skip ? outcomes.filter((outcome) => outcome !== null) : (outcomes as HandlerOutcome[]);
  }

  /** The handlers whose patterns match `type`, in registration order. */
  private listenersOf(type: string): readonly Listener[] {
    let listeners = this.listenersByType.get(type);
    if (!listeners) {
      listeners = this.emitter.listeners(type) as Listener[];
      if (this.listenersByType.size < REMEMBERED_TYPES) this.listenersByType.set(type, listeners);
    }
    return listeners;
  }

  /**
   * Handlers are recorded by name when they finish (so a retry skips them): two with one name would
   * make a retry skip the wrong one. The second gets `#2`, in discovery order, and a warning.
   */
  private uniqueName(name: string): string {
    if (!this.names.has(name)) {
      this.names.add(name);
      return name;
    }
    let n = 2;
    while (this.names.has(`${name}#${n}`)) n++;
    const unique = `${name}#${n}`;
    this.names.add(unique);
    this.logger.warn(
      `Two @OnFaceEvent handlers are named ${name}; the second is recorded as ${unique}. ` +
        'Rename one class or method: every instance must give each handler the same name.',
    );
    return unique;
  }

  private register(patterns: readonly string[], handler: string, run: (event: FaceEvent) => unknown): void {
    const telemetry = this.telemetry;
    const listener: Listener = async (event, progress) => {
      if (progress?.skip?.has(handler)) return null;
      const startedAt = performance.now();
      const failed = await telemetry.inSpan(
        'face_webhooks.handler',
        { attributes: { [ATTR.handler]: handler, [ATTR.eventType]: event.type, [ATTR.eventId]: event.id } },
        async (span) => {
          try {
            await run(event);
            FaceWebhooksTelemetry.end(span, 'accepted');
            return undefined;
          } catch (error) {
            FaceWebhooksTelemetry.end(span, 'failed', undefined, error);
            return { error };
          }
        },
      );
      telemetry.recordHandler(event.provider, handler, failed !== undefined, startedAt);
      if (failed) return { handler, error: failed.error };
      if (progress?.onFinished) await progress.onFinished(handler);
      return { handler };
    };
    for (const pattern of new Set(patterns)) this.emitter.on(pattern, listener);
    this.listenersByType.clear();
  }
}
