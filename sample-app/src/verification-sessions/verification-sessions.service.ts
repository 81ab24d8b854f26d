import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  FaceSignMediaError,
  FaceSignMediaService,
  OnFaceEvent,
  type FaceEventOf,
} from 'nestjs-face-webhooks';

export interface StoredMedia {
  readonly mediaId: string;
  readonly type: string;
  readonly contentType: string;
  readonly bytes?: number;
  readonly file?: string;
  /** Why it could not be stored (an expired URL cannot be fetched again). */
  readonly error?: string;
}

export interface VerificationSession {
  readonly sessionId: string;
  statusChanges: number;
  lastEventAt: string;
  readonly events: { type: string; id: string; at: string }[];
  readonly media: StoredMedia[];
}

const safe = (value: string) => value.replace(/[^\w-]/g, '_').slice(0, 100);

/** FaceSign verification sessions, fed only by webhooks; media are stored as they arrive. */
@Injectable()
export class VerificationSessionsService {
  private readonly logger = new Logger(VerificationSessionsService.name);
  private readonly sessions = new Map<string, VerificationSession>();
  private readonly mediaDir: string;

  constructor(
    private readonly media: FaceSignMediaService,
    config: ConfigService,
  ) {
    this.mediaDir =
      config.get<string>('FACESIGN_MEDIA_DIR') || join(tmpdir(), 'nestjs-face-webhooks-sample', 'media');
  }

  /** Every FaceSign event lands in its session's history. */
  @OnFaceEvent('facesign.**')
  onEvent(event: FaceEventOf<'facesign.**'>): void {
    const session = this.session(event.data.sessionId);
    if (!session.events.some((known) => known.id === event.id)) {
      session.events.push({ type: event.type, id: event.id, at: event.occurredAt.toISOString() });
      session.lastEventAt = event.occurredAt.toISOString();
    }
  }

  /** The status itself is not in the event: a real app would now call FaceSign's GET /sessions/:id. */
  @OnFaceEvent('facesign.session.status')
  onStatus(event: FaceEventOf<'facesign.session.status'>): void {
    this.session(event.data.sessionId).statusChanges += 1;
  }

  /** Media URLs expire 15 minutes after they are made: store the file now. */
  @OnFaceEvent('facesign.media.*')
  async onMedia(event: FaceEventOf<'facesign.media.*'>): Promise<void> {
    const { media, sessionId } = event.data;
    const session = this.session(sessionId);
    if (session.media.some((stored) => stored.mediaId === media.id && stored.file)) return;
    const record = { mediaId: media.id, type: event.type, contentType: media.contentType };
    await mkdir(this.mediaDir, { recursive: true });
    const file = join(
      this.mediaDir,
      `${safe(sessionId)}-${safe(media.id)}.${safe(media.contentType.split('/')[1] ?? 'bin')}`,
    );
    const sink = createWriteStream(file);
    try {
      const { bytes } = await this.media.download(media, sink);
      session.media.push({ ...record, bytes, file });
    } catch (error) {
      // The stream opens its file asynchronously: when the download fails first, the file would
      // appear after it was removed. Close the stream, then remove: no empty or partial file.
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()).destroy());
      await rm(file, { force: true });
      if (error instanceof FaceSignMediaError && !error.retryable) {
        // Expired URL, refused URL or redirect, wrong type, too large, 4xx: a retry cannot help,
        // so record it and acknowledge rather than have FaceSign retry for an hour.
        this.logger.warn(error.message);
        session.media.push({ ...record, error: error.message });
        return;
      }
      throw error; // 500: FaceSign retries (timeouts, network, 5xx from the media host)
    }
  }

  find(sessionId: string): VerificationSession | undefined {
    return this.sessions.get(sessionId);
  }

  private session(sessionId: string): VerificationSession {
    let session = this.sessions.get(sessionId);
    if (!session) {
      session = { sessionId, statusChanges: 0, lastEventAt: new Date().toISOString(), events: [], media: [] };
      this.sessions.set(sessionId, session);
    }
    return session;
  }
}
