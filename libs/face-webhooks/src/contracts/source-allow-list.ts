import { BlockList, isIP } from 'node:net';
import type {
  FaceWebhookProvider,
  WebhookAuthResult,
  WebhookRequest,
} from './face-webhook-provider.interface.js';

type Family = 'ipv4' | 'ipv6';

/**
 * An address as the library compares it: IPv4 as is, IPv6 without a zone, and an IPv4-mapped IPv6
 * address (`::ffff:203.0.113.7`, what a dual-stack server reports for an IPv4 client) as IPv4.
 * `undefined` when `text` is no address.
 */
export function normalizeAddress(text: string): { address: string; family: Family } | undefined {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
  const address = mapped ? mapped[1]! : text;
  const version = isIP(address);
  if (version === 4) return { address, family: 'ipv4' };
  if (version === 6 && !address.includes('%')) return { address, family: 'ipv6' };
  return undefined;
}

/**
 * The addresses and ranges a provider may deliver from: `203.0.113.7`, `198.51.100.0/24`,
 * `2001:db8::/32`. Matching is Node's `net.BlockList`; this only splits `address/prefix`.
 */
export class SourceAllowList {
  private constructor(private readonly list: BlockList) {}

  /**
   * The allow-list of a setting, or the problems with it, each naming the setting: not a non-empty
   * list of strings, an entry that is no address or CIDR range, a range that allows everything.
   */
  static parse(setting: string, value: unknown): SourceAllowList | string[] {
    if (!Array.isArray(value) || value.length === 0) {
      return [
        `${setting} must be a non-empty list of IP addresses or CIDR ranges, like ['203.0.113.7', '2001:db8::/32']`,
      ];
    }
    const list = new BlockList();
    const problems: string[] = [];
    for (const [index, entry] of value.entries()) {
      const where = `${setting}[${index}]`;
      if (typeof entry !== 'string') {
        problems.push(`${where} must be a string: an IP address or a CIDR range`);
        continue;
      }
      const [text = '', prefixText, extra] = entry.trim().split('/');
      const parsed = normalizeAddress(text);
      if (/^::ffff:/i.test(text)) {
        problems.push(`${where} "${entry}": write an IPv4-mapped address as plain IPv4`);
        continue;
      }
      if (!parsed || extra !== undefined) {
        problems.push(`${where} "${entry}" is not an IPv4 or IPv6 address or CIDR range`);
        continue;
      }
      if (prefixText === undefined) {
        list.addAddress(parsed.address, parsed.family);
        continue;
      }
      const bits = parsed.family === 'ipv4' ? 32 : 128;
      const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
      if (!(prefix >= 0 && prefix <= bits)) {
        problems.push(`${where} "${entry}" has a prefix length that is not 0 to ${bits}`);
      } else if (prefix === 0) {
        problems.push(`${where} "${entry}" allows every address: leave ${setting} out instead`);
      } else {
        list.addSubnet(parsed.address, prefix, parsed.family);
      }
    }
    return problems.length > 0 ? problems : new SourceAllowList(list);
  }

  /** Whether `address` (as a socket or a proxy reports it) is on the list. */
  allows(address: string): boolean {
    const parsed = normalizeAddress(address);
    return parsed !== undefined && this.list.check(parsed.address, parsed.family);
  }
}

/**
 * How the app's own reverse proxy tells it the client's address: the header it writes
 * (`x-forwarded-for`) and how many proxies of the app's own append to it (`hops`). The client is the
 * `hops`-th address from the right: what the app's outermost proxy saw. Everything to its left came
 * from the client and can be forged.
 */
export interface TrustedProxy {
  readonly header: string;
  readonly hops: number;
}

/** Where a delivery comes from, or why that cannot be told (which refuses it). */
export function sourceAddress(
  request: WebhookRequest,
  proxy: TrustedProxy | undefined,
): { address: string } | { problem: string } {
  if (!proxy) {
    return request.remoteAddress
      ? { address: request.remoteAddress }
      : { problem: 'the connection has no remote address' };
  }
  const value = request.headers[proxy.header];
  // Node joins repeated X-Forwarded-For headers with ", "; a list is joined the same way.
  const text = Array.isArray(value) ? value.join(',') : value;
  if (typeof text !== 'string' || text.trim() === '') return { problem: `no ${proxy.header} header` };
  const hops = text.split(',').map((hop) => hop.trim());
  if (hops.length < proxy.hops)
    return {
      problem: `${proxy.header} has ${hops.length} address(es), fewer than trustedProxyHops (${proxy.hops})`,
    };
  return { address: hops[hops.length - proxy.hops]! };
}

/**
 * `provider`, refusing (before its own authentication) a delivery whose source address is not on
 * `allowList`, with code `source_not_allowed`.
 */
export function withSourceAllowList(
  provider: FaceWebhookProvider,
  allowList: SourceAllowList,
  proxy: TrustedProxy | undefined,
): FaceWebhookProvider {
  const refuse = (reason: string): WebhookAuthResult => ({ ok: false, reason, code: 'source_not_allowed' });
  return {
    name: provider.name,
    dto: provider.dto,
    deduplicationTtlMs: provider.deduplicationTtlMs,
    knownTypes: provider.knownTypes,
    ...(provider.selectDto ? { selectDto: provider.selectDto.bind(provider) } : {}),
    ...(provider.authorize ? { authorize: provider.authorize.bind(provider) } : {}),
    describe: provider.describe.bind(provider),
    authenticate(request) {
      const source = sourceAddress(request, proxy);
      if ('problem' in source) return refuse(`source address unknown: ${source.problem}`);
      if (!allowList.allows(source.address))
        return refuse(`source address ${source.address.slice(0, 64)} is not in allowedSourceIps`);
      return provider.authenticate(request);
    },
  };
}
