import { isIPv6 } from 'node:net';

/**
 * The key one client is counted under by rate limits: an IPv4 address as is (also when it arrives
 * IPv4-mapped on an IPv6 socket), an IPv6 address by its /64, since one subscriber usually gets a
 * whole /64 and could otherwise pick a fresh address per request.
 */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const bare = ip.replace(/%.*$/, '');
  if (!isIPv6(bare)) return ip.toLowerCase();
  const hextets = expandIpv6(bare);
  return `${hextets.slice(0, 4).join(':')}::/64`;
}

/** Eight 16-bit groups, without leading zeros (an embedded IPv4 tail converted). */
function expandIpv6(ip: string): string[] {
  let text = ip.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) =>
    parseInt(group, 16).toString(16),
  );
}
