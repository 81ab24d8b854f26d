import { Logger, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { FaceWebhooksModule } from 'nestjs-face-webhooks';
import { locateEnvFile } from './config/env-file.js';
import { ConsoleBasicAuthGuard } from './console/console-basic-auth.guard.js';
import { HealthModule } from './health/health.module.js';
import { startTelemetry } from './telemetry/telemetry.js';
import { TelemetryModule } from './telemetry/telemetry.module.js';
import { faceWebhooksConfig } from './config/face-webhooks.config.js';
import { EnrollmentsModule } from './enrollments/enrollments.module.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { LegacyWebhooksModule } from './legacy-webhooks/legacy-webhooks.module.js';
import { FaceEventsModule } from './face-events/face-events.module.js';
import { VerificationSessionsModule } from './verification-sessions/verification-sessions.module.js';
import { LivenessModule } from './liveness/liveness.module.js';
import { IdentityVerificationsModule } from './identity-verifications/identity-verifications.module.js';

// The SDK starts before any module initialises, so the library's instruments are real ones.
startTelemetry();

@Module({
  imports: [
    TelemetryModule,
    HealthModule,
    // Variables already in the environment win over the file.
    ConfigModule.forRoot({ isGlobal: true, envFilePath: locateEnvFile().path }),
    TenantsModule,
    FaceWebhooksModule.forRootAsync({
      // The tenants' resolver (a class of TenantsModule) is found in the app's container.
      imports: [TenantsModule],
      inject: [ConfigService],
      useFactory: faceWebhooksConfig,
      // The delivery console at /console, behind HTTP Basic (admin / CONSOLE_PASSWORD). Its alerts
      // are logged here; an app would forward them to Slack, e-mail or a pager.
      console: {
        path: 'console',
        guard: ConsoleBasicAuthGuard,
        onAlert: (alert) => new Logger('ConsoleAlerts').warn(`${alert.state}: ${alert.message}`),
      },
    }),
    EnrollmentsModule,
    FaceEventsModule,
    VerificationSessionsModule,
    LegacyWebhooksModule,
    LivenessModule,
    IdentityVerificationsModule,
  ],
})
export class AppModule {}
