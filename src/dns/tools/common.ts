// What the DNS programs share: their argv without the program name, the servers they ask, and
// which DNS tools an image ships.
import type { ToolContext } from '../../kubelet/net/types.js';
import type { Exchange } from '../resolver.js';
import { exchange, searchSettings } from '../resolver.js';
import type { QType } from '../message.js';
import { isIPv4, isIPv6 } from '../message.js';

/** argv as the tool sees it, without its own name (callers may pass either) */
export function args(argv: string[], prog: string): string[] {
  return argv.length && (argv[0] === prog || argv[0].endsWith(`/${prog}`)) ? argv.slice(1) : argv;
}

/** the nameservers of the pod's resolv.conf (127.0.0.1 when it lists none, as libc does) */
export function podServers(ctx: ToolContext): string[] {
  const s = searchSettings(ctx.pod, ctx).nameservers;
  return s.length ? s : ['127.0.0.1'];
}

export const isIP = (s: string) => isIPv4(s) || isIPv6(s);

/** asks each server in turn; the first that answers is the one the tool reports */
export function ask(ctx: ToolContext, servers: string[], qname: string, qtype: QType): { ex: Exchange; timeouts: number } {
  let timeouts = 0;
  let last: Exchange = { ok: false, server: servers[0], error: 'timeout' };
  for (const s of servers) {
    last = exchange(ctx, s, qname, qtype);
    if (last.ok) return { ex: last, timeouts };
    timeouts++;
  }
  return { ex: last, timeouts };
}

/**
 * The DNS tools an image has: busybox's nslookup in busybox/alpine userlands; BIND's nslookup, dig
 * and host in the DNS debugging images (dnsutils, netshoot, dnstools) and images named after them.
 */
export function imageHasTool(image: string, busybox: boolean, prog: string): boolean {
  const img = image.toLowerCase();
  if (/dnsutils|netshoot|dnstools|bind-tools|network-multitool|nicolaka|toolbox|debug/.test(img)) return prog === 'nslookup' || prog === 'dig' || prog === 'host';
  if (busybox) return prog === 'nslookup';
  return false;
}

/** BIND's flavour in the image: jessie-dnsutils carries 9.9 (no cookies, 4096-byte EDNS); newer images 9.18 */
export function bindVersion(image: string): { version: string; old: boolean } {
  const img = image.toLowerCase();
  if (/jessie-dnsutils|tutum\/dnsutils/.test(img)) return { version: '9.9.5-9+deb8u19-Debian', old: true };
  return { version: '9.18.30', old: false };
}
