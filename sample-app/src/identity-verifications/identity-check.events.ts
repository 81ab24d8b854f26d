import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { StandardWebhookPayload } from 'nestjs-face-webhooks';

/**
 * `data` of the `identity.check.completed` event that the platform's own identity-check service
 * sends as a Standard Webhooks sender (any Svix-powered service looks the same): which user, which
 * check, and its result. The library checks the envelope (`type`, `timestamp`, `data`) and this class
 * checks `data`; fields the sender adds later are kept and never refused.
 */
export class IdentityCheckCompletedData {
  @IsString() @MaxLength(256) userId!: string;
  @IsString() @Matches(/^chk_[A-Za-z0-9]{4,64}$/) checkId!: string;
  @IsIn(['verified', 'declined', 'needs_input']) result!: 'verified' | 'declined' | 'needs_input';
  @IsOptional() @IsString() @MaxLength(1024) reason?: string;
}

declare module 'nestjs-face-webhooks' {
  interface FaceEventMap {
    'standard.identity.check.completed': StandardWebhookPayload<IdentityCheckCompletedData>;
  }
}
