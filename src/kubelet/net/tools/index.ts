// The network programs `kubectl exec` runs in a container, plugged into the process interpreter
// (src/kubelet/process.ts, ExecTools): a program the image has runs against the data path; one it
// lacks is "not found" as its shell says it (exit 127); any other program is left to the
// interpreter (echo, cat, sleep ...).
import type { ExecTools } from '../../process.js';
import type { ToolContext, ToolResult } from '../types.js';
import { iptablesSave } from '../../../proxy/iptables.js';
import { ipvsadmList } from '../../../proxy/ipvs.js';
import { curl } from './curl.js';
import { lines, result } from './common.js';
import { hasProgram, NET_PROGRAMS, notFound, progName } from './images.js';
import { nc } from './nc.js';
import { ping } from './ping.js';
import { wget } from './wget.js';
import { dig, host, nslookup } from '../../../dns/tools/index.js';

export { hasProgram, userlandOf, notFound, NET_PROGRAMS } from './images.js';

/** the hostname a pod's containers see: spec.hostname, or the pod's name (63 characters at most) */
export function podHostname(ctx: Pick<ToolContext, 'pod'>): string {
  const h = String(ctx.pod.spec?.hostname ?? ctx.pod.metadata?.name ?? '');
  return h.slice(0, 63).replace(/[-.]+$/, '');
}

/** the pod may read the node's netfilter rules: host network (kube-proxy), or a privileged container */
function seesNodeRules(ctx: ToolContext): boolean {
  return !!ctx.pod.spec?.hostNetwork;
}

function privileged(ctx: ToolContext): boolean {
  const c = (ctx.pod.spec?.containers ?? []).find((x: any) => x.name === ctx.container);
  return !!c?.securityContext?.privileged || (c?.securityContext?.capabilities?.add ?? []).includes('NET_ADMIN');
}

function iptables(ctx: ToolContext, argv: string[]): ToolResult {
  if (!privileged(ctx) && !seesNodeRules(ctx)) return result(1, [], ['iptables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)']);
  if (!seesNodeRules(ctx)) return result(0);
  const args = argv.slice(1);
  const t = args.findIndex((a) => a === '-t' || a === '--table');
  const table = t >= 0 ? args[t + 1] : args.find((a) => a.startsWith('--table='))?.slice(8);
  const counters = args.includes('-c') || args.includes('--counters');
  return result(0, lines(iptablesSave(ctx.world, ctx.pod.spec?.nodeName ?? '', { table, counters })));
}

function ipvsadm(ctx: ToolContext): ToolResult {
  if (!privileged(ctx) && !seesNodeRules(ctx)) return result(2, [], ["Can't initialize ipvs: Permission denied (you must be root)", 'Are you sure that IP Virtual Server is built in the kernel or as module?']);
  if (!seesNodeRules(ctx)) return result(0, ['IP Virtual Server version 1.2.1 (size=4096)', 'Prot LocalAddress:Port Scheduler Flags', '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn']);
  return result(0, lines(ipvsadmList(ctx.world, ctx.pod.spec?.nodeName ?? '')));
}

/** The ExecTools of a container: the network programs its image has, run against ctx's network. */
export function netTools(ctx: ToolContext): ExecTools {
  return (argv, stdin) => {
    const prog = progName(argv[0] ?? '');
    if (!NET_PROGRAMS.has(prog)) return undefined;
    if (!hasProgram(ctx.image, prog)) return result(127, [], [notFound(ctx.image, prog)]);
    switch (prog) {
      case 'wget':
        return wget(ctx, argv);
      case 'curl':
        return curl(ctx, argv);
      case 'nc':
        return nc(ctx, argv, stdin);
      case 'ping':
        return ping(ctx, argv);
      case 'nslookup':
        return nslookup(ctx, argv);
      case 'dig':
        return dig(ctx, argv);
      case 'host':
        return host(ctx, argv);
      case 'iptables-save':
        return iptables(ctx, argv);
      case 'ipvsadm':
        return ipvsadm(ctx);
      case 'hostname':
        return result(0, [argv.includes('-i') ? (ctx.pod.status?.podIP ?? '') : podHostname(ctx)]);
      default:
        return undefined;
    }
  };
}
