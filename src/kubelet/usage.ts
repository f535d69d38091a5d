// PLACEHOLDER (kubelet helper replaces this): the resource usage metrics-server would report.
import type { KObject } from '../apiserver/types.js';

export interface ContainerUsage {
  name: string;
  /** CPU in millicores */
  cpuMilli: number;
  /** memory working set in bytes */
  memoryBytes: number;
}

/** Usage of each running container of a pod at virtual time now (empty when none runs). */
export function podUsage(_pod: KObject, _now: number): ContainerUsage[] {
  return [];
}
