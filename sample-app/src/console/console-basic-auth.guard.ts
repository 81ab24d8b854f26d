import { timingSafeEqual, createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The sample app's access check for the delivery console: HTTP Basic, user `admin` and
 * CONSOLE_PASSWORD, so a browser asks for it. A real app would use its own operators' login.
 */
@Injectable()
export class ConsoleBasicAuthGuard implements CanActivate {
  constructor(
    protected readonly config: ConfigService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const header = http.getRequest<{ headers: Record<string, unknown> }>().headers.authorization;
    const password = this.config.get<string>('CONSOLE_PASSWORD');
    const expected = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    if (password && typeof header === 'string' && timingSafeEqual(digest(header), digest(expected)))
      return true;
    this.adapterHost.httpAdapter.setHeader(
      http.getResponse(),
      'WWW-Authenticate',
      'Basic realm="face webhooks console"',
    );
    throw new UnauthorizedException();
  }
}
