import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FACESIGN_MEDIA_EVENT_TYPES } from './facesign.event-types.js';

/** The largest time a JavaScript `Date` holds, in ms: a larger `createdAt` would be an Invalid Date. */
const MAX_DATE_MS = 8_640_000_000_000_000;

/** A downloadable file: its signed URL expires (`expires`, Unix ms), 15 minutes after creation. */
export class FaceSignMediaDto {
  /** The media file's id. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  id!: string;

  /** Unix milliseconds. */
  @IsInt()
  @Min(0)
  @Max(MAX_DATE_MS)
  createdAt!: number;

  /** Where to download the file (signed; it stops working at `expires`). */
  @IsUrl({ protocols: ['https', 'http'], require_tld: false, require_protocol: true })
  @MaxLength(4096)
  url!: string;

  /** Unix milliseconds after which `url` no longer works. */
  @IsInt()
  @Min(0)
  @Max(MAX_DATE_MS)
  expires!: number;

  /** The file's MIME type as FaceSign announces it (`image/jpeg`, `video/mp4`, ...). */
  @IsString()
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: '$property must be a MIME type like image/jpeg' })
  contentType!: string;
}

/** The body of every FaceSign webhook. */
export class FaceSignWebhookEventDto {
  /** Unique event id, used for de-duplication. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  id!: string;

  /** One of FaceSign's `WebhookType` values; others are accepted for wildcard handlers. */
  @IsString()
  @Matches(/^[a-z0-9_]{1,64}(\.[a-z0-9_]{1,64}){0,3}$/, {
    message: '$property must be a dotted lower-case event type',
  })
  type!: string;

  /** When the event was created, Unix milliseconds. */
  @IsInt()
  @Min(0)
  @Max(MAX_DATE_MS)
  createdAt!: number;

  /** The FaceSign session the event is about. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  sessionId!: string;

  /** Present, and required, on the three media events. */
  @ValidateIf(
    (event: FaceSignWebhookEventDto) =>
      FACESIGN_MEDIA_EVENT_TYPES.has(event.type) || event.media !== undefined,
  )
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => FaceSignMediaDto)
  media?: FaceSignMediaDto;
}

/** A media event: `media` is always there. */
export type FaceSignMediaEventDto = FaceSignWebhookEventDto & {
  /** The file that is ready, with its expiring download URL. */
  media: FaceSignMediaDto;
};
