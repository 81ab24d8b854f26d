import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ConsoleBasicAuthGuard } from './console-basic-auth.guard.js';

/** Where the app listens: `HOST`, or loopback only. */
export function listenHost(env: { get(key: string): unknown }): string {
  const host = env.get('HOST');
  return typeof host === 'string' && host.trim() !== '' ? host.trim() : '127.0.0.1';
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|localhost)$/i;

/**
 * What only the app's operators may read: the listings of faces, users and tenants, `/metrics`
 * and `/health`. They take the console's credentials (HTTP Basic, `admin` / CONSOLE_PASSWORD),
 * except while the app listens on loopback only (no `HOST`, the default), for a request made on
 * this machine and not forwarded by a proxy: then `curl localhost:3000/face-events` just works.
 */
@Injectable()
export class OperatorAccessGuard extends ConsoleBasicAuthGuard implements CanActivate {
  override canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{
      headers: Record<string, unknown>;
      socket?: { remoteAddress?: string };
      raw?: { socket?: { remoteAddress?: string } };
    }>();
    const remote = (request.socket ?? request.raw?.socket)?.remoteAddress ?? '';
    const forwarded =
      request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
    if (LOOPBACK.test(listenHost(this.config)) && LOOPBACK.test(remote) && !forwarded) return true;
    return super.canActivate(context);
  }
}
