import { Module } from '@nestjs/common';
import { IdentityVerificationsController } from './identity-verifications.controller.js';
import { IdentityVerificationsService } from './identity-verifications.service.js';

/** Identity decisions from Stripe Identity, Persona and a Standard Webhooks sender, per user. */
@Module({ controllers: [IdentityVerificationsController], providers: [IdentityVerificationsService] })
export class IdentityVerificationsModule {}
