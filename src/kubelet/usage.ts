// The usage metrics-server would report for a pod's running containers: the image's typical use
// (fixtures/images.yaml), nudged towards what the container requests, with a small deterministic
// jitter from the pod uid and the minute, so `top` moves a little but repeats for the same state.
import type { KObject } from '../apiserver/types.js';
import { milliValue, parseQuantity, value } from '../apiserver/quantity.js';
import { lookupImage, sha256Hex } from './catalogue.js';
import { behaviourOf } from './runtime.js';

export interface ContainerUsage {
  name: string;
  /** CPU in millicores */
  cpuMilli: number;
  /** memory working set in bytes */
  memoryBytes: number;
}

function jitter(seed: string, spread: number): number {
  const n = Number.parseInt(sha256Hex(seed).slice(0, 8), 16) / 0xffffffff;
  return 1 - spread + 2 * spread * n;
}

/** Usage of each running container of a pod at virtual time now (empty when none runs). */
export function podUsage(pod: KObject, now: number): ContainerUsage[] {
  const out: ContainerUsage[] = [];
  const running = new Set((pod.status?.containerStatuses ?? []).filter((s: any) => s.state?.running).map((s: any) => s.name));
  const minute = Math.floor(now / 60_000);
  const uid = pod.metadata?.uid ?? pod.metadata?.name ?? '';
  for (const c of pod.spec?.containers ?? []) {
    if (!running.has(c.name)) continue;
    const info = lookupImage(c.image);
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    let cpu = info.cpuMilli;
    let mem = info.memoryBytes;
    // A process that burns CPU (vish/stress, a busy loop) uses what it may; others a fraction of their request.
    if (info.cpuMilli >= 1000 && lim.cpu) cpu = milliValue(parseQuantity(lim.cpu));
    else if (req.cpu) cpu = Math.max(cpu, Math.round(milliValue(parseQuantity(req.cpu)) * 0.02));
    if (req.memory) mem = Math.max(mem, Math.round(value(parseQuantity(req.memory)) * 0.1));
    if (lim.memory) mem = Math.min(mem, value(parseQuantity(lim.memory)));
    if (behaviourOf(c).exitsAfterMs !== undefined) cpu = 0;
    out.push({
      name: c.name,
      cpuMilli: Math.max(0, Math.round(cpu * jitter(`${uid}/${c.name}/cpu/${minute}`, 0.3))),
      memoryBytes: Math.round(mem * jitter(`${uid}/${c.name}/mem`, 0.08) * jitter(`${uid}/${c.name}/mem/${minute}`, 0.02)),
    });
  }
  return out;
}
