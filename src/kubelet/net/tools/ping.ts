// ping, busybox's (busybox, alpine) or iputils' (Debian images that have one): echo replies from
// pods and nodes with their TTLs, and none from a Service's ClusterIP in iptables mode ("100%
// packet loss": a ClusterIP is not a host). Without -c a real ping runs until interrupted; here it
// stops after four, as a user pressing Ctrl-C would.
import type { ToolContext, ToolResult } from '../types.js';
import { echoReach } from '../path.js';
import { lookup, lookupMs, result, rttMs } from './common.js';
import { userlandOf } from './images.js';

const fmt = (n: number) => n.toFixed(3);

export function ping(ctx: ToolContext, argv: string[]): ToolResult {
  const iputils = userlandOf(ctx.image).ping === 'iputils';
  let count: number | undefined;
  let size = 56;
  let quiet = false;
  let deadlineS: number | undefined;
  const rest: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (/^-[cswWiIt]/.test(a)) {
      const v = a.length > 2 ? a.slice(2) : args[++i];
      if (a[1] === 'c') count = Number(v);
      if (a[1] === 's') size = Number(v);
      if (a[1] === 'w') deadlineS = Number(v);
      continue;
    }
    if (a === '-q') {
      quiet = true;
      continue;
    }
    if (/^-[46nv]+$/.test(a)) continue;
    rest.push(a);
  }
  const host = rest[0];
  if (!host) return result(iputils ? 2 : 1, [], iputils ? ['ping: usage error: Destination address required'] : ['BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.', '', 'Usage: ping [OPTIONS] HOST']);
  const found = lookup(ctx, host);
  if ('error' in found) {
    const ms = lookupMs(found);
    return iputils ? result(2, [], [`ping: ${host}: ${found.error === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known'}`], ms) : result(1, [], [`ping: bad address '${host}'`], ms);
  }
  const n = count ?? (deadlineS !== undefined ? Math.max(1, Math.floor(deadlineS)) : 4);
  const reach = echoReach(ctx, found.ip);
  const out: string[] = [iputils ? `PING ${host} (${found.ip}) ${size}(${size + 28}) bytes of data.` : `PING ${host} (${found.ip}): ${size} data bytes`];
  const times: number[] = [];
  for (let seq = 0; seq < n && reach.reply; seq++) {
    const t = rttMs(ctx, reach.crossNode);
    times.push(t);
    if (quiet) continue;
    out.push(iputils ? `64 bytes from ${found.ip}: icmp_seq=${seq + 1} ttl=${reach.ttl} time=${fmt(t)} ms` : `${size + 8} bytes from ${found.ip}: seq=${seq} ttl=${reach.ttl} time=${fmt(t)} ms`);
  }
  const received = times.length;
  const loss = Math.round(((n - received) / n) * 100);
  const elapsedMs = reach.reply ? (n - 1) * 1000 + 1 : deadlineS !== undefined ? deadlineS * 1000 : n * 1000 + 10_000;
  out.push('', `--- ${host} ping statistics ---`);
  if (iputils) {
    out.push(`${n} packets transmitted, ${received} received, ${loss}% packet loss, time ${Math.max(0, (n - 1) * 1000 + 3)}ms`);
    if (received) {
      const avg = times.reduce((a, b) => a + b, 0) / received;
      const mdev = Math.sqrt(times.reduce((a, b) => a + (b - avg) ** 2, 0) / received);
      out.push(`rtt min/avg/max/mdev = ${fmt(Math.min(...times))}/${fmt(avg)}/${fmt(Math.max(...times))}/${fmt(mdev)} ms`);
    }
  } else {
    out.push(`${n} packets transmitted, ${received} packets received, ${loss}% packet loss`);
    if (received) out.push(`round-trip min/avg/max = ${fmt(Math.min(...times))}/${fmt(times.reduce((a, b) => a + b, 0) / received)}/${fmt(Math.max(...times))} ms`);
  }
  return result(received ? 0 : 1, out, [], elapsedMs);
}
