import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook must not reach unless the operator allows it
 * (`WEBHOOK_ALLOW_PRIVATE=true`): loopback, private, carrier-grade NAT,
 * link-local (cloud metadata at 169.254.169.254), unique-local, multicast,
 * reserved and unspecified — anything that is not the public internet.
 */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}

/** Who may be reached: public addresses only, unless the operator allows private ones. */
export interface AddressPolicy {
  allowPrivate: boolean;
  /** Exact addresses allowed even so (an operator's one internal PSA; tests). */
  allowAddresses?: readonly string[];
}

/** An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is checked as the IPv4 address it is. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

/** Whether `address` (an IP literal) is somewhere a webhook must not go under `policy`. */
export function isRefused(address: string, policy: AddressPolicy): boolean {
  if (policy.allowPrivate) return false;
  const plain = unmapped(address);
  if (policy.allowAddresses?.includes(plain.address)) return false;
  return BLOCKED.check(plain.address, plain.family);
}

/** A target refused by the address policy; its message names the address, never a secret. */
export class RefusedTarget extends Error {
  constructor(readonly address: string) {
    super(`refused: ${address} is a loopback, private or link-local address (WEBHOOK_ALLOW_PRIVATE is off)`);
    this.name = 'RefusedTarget';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `http.request` that resolves the name and refuses the
 * connection when any answer is refused: the address checked is the address
 * connected to, so a name re-pointed between check and connect (DNS rebinding)
 * gains nothing.
 */
export function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((entry) => isRefused(entry.address, policy));
      if (refused) return callback(new RefusedTarget(refused.address) as NodeJS.ErrnoException, []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** Strips the brackets from an IPv6 URL host. */
export const bareHost = (hostname: string): string => hostname.replace(/^\[|\]$/g, '');

/**
 * Checks a URL's target before it is stored: an IP literal directly, a name by
 * resolving it. Resolves the refused address, or null when the target may be reached
 * (a name that does not resolve yet is accepted: it is checked again on every attempt).
 */
export async function refusedAddressOf(url: URL, policy: AddressPolicy): Promise<string | null> {
  if (policy.allowPrivate) return null;
  const host = bareHost(url.hostname);
  if (isIP(host)) return isRefused(host, policy) ? host : null;
  const addresses = await new Promise<LookupAddress[]>((resolve) =>
    dnsLookup(host, { all: true }, (error, found) => resolve(error ? [] : found)),
  );
  return addresses.find((entry) => isRefused(entry.address, policy))?.address ?? null;
}
