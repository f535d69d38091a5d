// The DNS programs `kubectl exec` can run, for the exec tool hook (process.ts ExecTools): returns
// undefined for a program the image does not ship, so the shell says it is not found.
import type { ToolContext, ToolResult } from '../../kubelet/net/types.js';
import { imageHasTool } from './common.js';
import { dig } from './dig.js';
import { host } from './host.js';
import { nslookup } from './nslookup.js';

export { dig, host, nslookup, imageHasTool };

const TOOLS: Record<string, (ctx: ToolContext, argv: string[]) => ToolResult> = { nslookup, dig, host };

export function dnsTool(ctx: ToolContext, argv: string[]): ToolResult | undefined {
  const prog = (argv[0] ?? '').split('/').pop()!;
  const tool = TOOLS[prog];
  if (!tool || !imageHasTool(ctx.image, ctx.busybox, prog)) return undefined;
  return tool(ctx, argv);
}
