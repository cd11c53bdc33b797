/**
 * Where a webhook may be sent (API-CONTRACT-2 §7, issue #26): "resolve the host, refuse
 * loopback, private, link-local and metadata ranges unless allow-listed by
 * `AIGOV_WEBHOOK_ALLOW_HOSTS`". A subscriber chooses the URL, so without this guard any
 * organisation could make the server call its own admin ports, the cloud metadata service
 * (169.254.169.254, fd00:ec2::254, Alibaba Cloud's 100.100.100.200) or the regulator's
 * intranet (OWASP SSRF Prevention Cheat Sheet).
 *
 * Only global unicast addresses pass: every address the host resolves to is checked (one bad
 * answer refuses the target), IPv6 forms that carry an IPv4 address (IPv4-mapped,
 * IPv4-translated, IPv4-compatible, NAT64 `64:ff9b::/96`) are judged by the IPv4 address
 * they carry, and tunnel prefixes (6to4, Teredo) are refused. The caller connects to the
 * returned pinned address, so a second DNS answer (DNS rebinding) cannot move the request
 * elsewhere. Address ranges come from ipaddr.js (IANA special-purpose registries).
 */
import { lookup as systemLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';

/** A resolved address, as `dns.promises.lookup(host, { all: true })` gives them. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has (injected in tests: no real DNS there). */
export type HostLookup = (hostname: string, options: { all: true }) => Promise<readonly ResolvedAddress[]>;

/** Why a target was refused (stable: the module maps them to problem codes). */
export type WebhookTargetRefusal =
  'invalid_url' | 'unsupported_scheme' | 'credentials_in_url' | 'unresolvable' | 'forbidden_address';

/** A target that passed the guard: connect to `address`, speak to `hostname`. */
export interface WebhookTarget {
  readonly url: URL;
  readonly protocol: 'http:' | 'https:';
  /** The URL's host without IPv6 brackets: the `Host` header's name and the TLS server name. */
  readonly hostname: string;
  readonly port: number;
  /** The pinned address to connect to. */
  readonly address: string;
  readonly family: 4 | 6;
  /** TLS SNI and certificate name: the host name, or undefined for an IP literal (RFC 6066 §3). */
  readonly servername: string | undefined;
  /** The host is in the allow-list, so the address check was skipped. */
  readonly allowListed: boolean;
}

export type WebhookTargetResult =
  | { readonly ok: true; readonly target: WebhookTarget }
  | {
      readonly ok: false;
      readonly reason: WebhookTargetRefusal;
      /** English, for logs and the delivery log; names the address but never the URL's credentials. */
      readonly detail: string;
      /** The refused address and its range, for `forbidden_address`. */
      readonly address?: string;
      readonly range?: string;
    };

/** Lookups that take longer are a refusal (`getaddrinfo` itself has no deadline). */
export const WEBHOOK_LOOKUP_TIMEOUT_MS = 5000;

// Named because they are what an attacker aims at; their ranges are refused anyway.
const METADATA_ADDRESSES = new Map<string, string>([
  ['169.254.169.254', 'metadata'], // AWS, GCP, Azure, OpenStack, Tencent Cloud
  ['169.254.170.2', 'metadata'], // AWS ECS task metadata
  ['100.100.100.200', 'metadata'], // Alibaba Cloud
  ['fd00:ec2::254', 'metadata'], // AWS over IPv6
]);

const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96'); // RFC 6052 §2.1

/**
 * The range an address is in, and whether a webhook may go there: only `unicast` (globally
 * routable) may. Throws on a string that is not a canonical IP address.
 */
export function classifyAddress(address: string): { range: string; allowed: boolean } {
  if (isIP(address) === 0) throw new RangeError(`not an IP address: ${address}`);
  const parsed = ipaddr.parse(address);
  const metadata = METADATA_ADDRESSES.get(parsed.toString());
  if (metadata !== undefined) return { range: metadata, allowed: false };
  if (parsed.kind() === 'ipv4') {
    const range = parsed.range();
    return { range, allowed: range === 'unicast' };
  }
  const v6 = parsed as ipaddr.IPv6;
  if (v6.zoneId !== undefined) return { range: 'linkLocal', allowed: false };
  const embedded = embeddedIPv4(v6);
  if (embedded !== undefined) {
    const inner = classifyAddress(embedded.address.toString());
    return { range: `${embedded.form}:${inner.range}`, allowed: inner.allowed };
  }
  const parts = v6.parts;
  if (parts.slice(0, 6).every((part) => part === 0)) {
    // ::/96 past :: and ::1 — "IPv4-compatible" addresses, deprecated by RFC 4291 §2.5.5.1;
    // some stacks still route ::7f00:1 to 127.0.0.1.
    const range = v6.range();
    return { range: range === 'unicast' ? 'ipv4Compatible' : range, allowed: false };
  }
  const range = v6.range();
  return { range, allowed: range === 'unicast' };
}

/** The IPv4 address inside an IPv6 form that stands for it, if any. */
function embeddedIPv4(v6: ipaddr.IPv6): { form: string; address: ipaddr.IPv4 } | undefined {
  const lastTwo = (): ipaddr.IPv4 => {
    const [hi = 0, lo = 0] = v6.parts.slice(6);
    return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  };
  if (v6.isIPv4MappedAddress()) return { form: 'ipv4Mapped', address: v6.toIPv4Address() }; // ::ffff:0:0/96
  const range = v6.range();
  if (range === 'rfc6145') return { form: 'ipv4Translated', address: lastTwo() }; // ::ffff:0:0:0/96
  if (v6.match(NAT64_WELL_KNOWN)) return { form: 'nat64', address: lastTwo() }; // 64:ff9b::/96
  return undefined;
}

/**
 * The allow-list of `AIGOV_WEBHOOK_ALLOW_HOSTS` (comma-separated hosts): names lower-cased
 * and in ASCII (IDNA), IP literals in one canonical form, IPv6 with or without brackets.
 * `invalid` lists entries that are not a bare host (a port, a scheme, a path, a space).
 */
export function parseWebhookAllowHosts(raw: string | undefined): { hosts: ReadonlySet<string>; invalid: string[] } {
  const hosts = new Set<string>();
  const invalid: string[] = [];
  for (const entry of (raw ?? '').split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const host = canonicalHost(trimmed);
    if (host === undefined) invalid.push(trimmed);
    else hosts.add(host);
  }
  return { hosts, invalid };
}

/** A host in the form both the allow-list and a URL's host are compared in, or undefined. */
function canonicalHost(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return ipaddr.parse(bare).toNormalizedString();
  // domainToASCII would keep the host of `x.example/path` or `x.example?q`: refuse URL delimiters first.
  if (host !== bare || /[\s/?#\\%@:[\]]/.test(bare)) return undefined;
  const ascii = domainToASCII(bare);
  // A host name: labels of letters, digits, hyphens and underscores (what URL keeps), an
  // optional final dot. Ports, paths, schemes and user information are not hosts.
  if (ascii === '' || !/^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?$/.test(ascii)) return undefined;
  // `127.1` or `2130706433` would be read as addresses by a URL parser, never as names.
  if (/^[0-9.]+$/.test(ascii)) return undefined;
  return ascii;
}

function refuse(reason: WebhookTargetRefusal, detail: string, extra?: { address: string; range: string }) {
  return { ok: false as const, reason, detail, ...extra };
}

/**
 * Checks a webhook URL and pins the address to send it to. Only `http:` and `https:`; no
 * user information in the URL (it would be stored and shown as part of the subscription).
 * When the URL's host is exactly an allow-listed host (a name or an IP literal: the name
 * `localhost` does not allow-list `127.0.0.1`, nor the reverse) the address check is skipped.
 */
export async function resolveWebhookTarget(
  rawUrl: string,
  options: { allowHosts?: ReadonlySet<string>; lookup?: HostLookup; lookupTimeoutMs?: number } = {},
): Promise<WebhookTargetResult> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return refuse('invalid_url', 'not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse('unsupported_scheme', `only http and https URLs receive webhooks (got ${url.protocol})`);
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('credentials_in_url', 'the URL carries a user name or password');
  }
  const protocol = url.protocol;
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (protocol === 'https:' ? 443 : 80) : Number(url.port);
  const canonical = canonicalHost(url.hostname);
  if (canonical === undefined) return refuse('invalid_url', 'the URL has no usable host');
  const allowListed = options.allowHosts?.has(canonical) === true;

  const literal = isIP(hostname);
  let addresses: readonly ResolvedAddress[];
  if (literal !== 0) {
    addresses = [{ address: hostname, family: literal }];
  } else {
    try {
      addresses = await lookupWithDeadline(
        options.lookup ?? systemLookup,
        hostname,
        options.lookupTimeoutMs ?? WEBHOOK_LOOKUP_TIMEOUT_MS,
      );
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return refuse('unresolvable', `${hostname} did not resolve${typeof code === 'string' ? ` (${code})` : ''}`);
    }
    if (addresses.length === 0) return refuse('unresolvable', `${hostname} has no address`);
  }

  const checked: Array<{ address: string; family: 4 | 6 }> = [];
  for (const { address } of addresses) {
    const family = isIP(address);
    if (family === 0) return refuse('unresolvable', `${hostname} resolved to something that is not an address`);
    if (!allowListed) {
      const { range, allowed } = classifyAddress(address);
      if (!allowed) {
        return refuse(
          'forbidden_address',
          `${hostname === address ? address : `${hostname} resolves to ${address}`}, a ${range} address ` +
            '(not allowed unless the host is in AIGOV_WEBHOOK_ALLOW_HOSTS)',
          { address, range },
        );
      }
    }
    checked.push({ address, family: family as 4 | 6 });
  }
  const [pinned] = checked;
  if (pinned === undefined) return refuse('unresolvable', `${hostname} has no address`);
  return {
    ok: true,
    target: {
      url,
      protocol,
      hostname,
      port,
      address: pinned.address,
      family: pinned.family,
      servername: literal === 0 ? hostname.replace(/\.$/, '') : undefined,
      allowListed,
    },
  };
}

async function lookupWithDeadline(lookup: HostLookup, hostname: string, timeoutMs: number) {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('lookup timed out'), { code: 'ETIMEOUT' })), timeoutMs);
  });
  try {
    return await Promise.race([lookup(hostname, { all: true }), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
