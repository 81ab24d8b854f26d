import { Injectable } from '@nestjs/common';
import { OnFaceEvent, type AnyFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';

/** Handlers that record what they receive; `failures` makes the next N calls of a handler throw. */
@Injectable()
export class RecordingHandlers {
  readonly calls: { handler: string; event: AnyFaceEvent }[] = [];
  readonly failures = new Map<string, number>();
  /** Milliseconds `onEnroll` waits before returning, to hold an event in flight. */
  enrollDelayMs = 0;

  @OnFaceEvent('faceio.ENROLL')
  async onEnroll(event: FaceEventOf<'faceio.ENROLL'>): Promise<void> {
    if (this.enrollDelayMs) await new Promise((resolve) => setTimeout(resolve, this.enrollDelayMs));
    this.record('enroll', event);
  }

  @OnFaceEvent('faceio.AUTH')
  onAuth(event: FaceEventOf<'faceio.AUTH'>): void {
    this.record('auth', event);
  }

  @OnFaceEvent('faceio.DELETION')
  onDeletion(event: FaceEventOf<'faceio.DELETION'>): void {
    this.record('deletion', event);
  }

  @OnFaceEvent('faceio.*')
  onAnyFaceio(event: FaceEventOf<'faceio.*'>): void {
    this.record('faceio.*', event);
  }

  @OnFaceEvent('**')
  onEverything(event: AnyFaceEvent): void {
    this.record('**', event);
  }

  of(handler: string): AnyFaceEvent[] {
    return this.calls.filter((call) => call.handler === handler).map((call) => call.event);
  }

  reset(): void {
    this.calls.length = 0;
    this.failures.clear();
    this.enrollDelayMs = 0;
  }

  private record(handler: string, event: AnyFaceEvent): void {
    const failing = this.failures.get(handler) ?? 0;
    if (failing > 0) {
      this.failures.set(handler, failing - 1);
      throw new Error(`${handler} failed on purpose`);
    }
    this.calls.push({ handler, event });
  }
}
