// Every generator behind `create`, plus `run` and `expose`.
//
// createGenerators is flat: service and secret subtypes are named with a space
// ('service clusterip', 'secret generic' ...), so the CLI can split name on ' ' to nest commands.
// Aliases of the parent commands: service → svc; secret has none.
import { cronJobGenerator, jobGenerator } from './batch.js';
import { configMapGenerator } from './configmap.js';
import { deploymentGenerator } from './deployment.js';
import { ingressGenerator } from './ingress.js';
import { clusterRoleBindingGenerator, clusterRoleGenerator, roleBindingGenerator, roleGenerator } from './rbac.js';
import { secretDockerRegistryGenerator, secretGenericGenerator, secretTlsGenerator } from './secret.js';
import { serviceClusterIPGenerator, serviceExternalNameGenerator, serviceLoadBalancerGenerator, serviceNodePortGenerator } from './service.js';
import { namespaceGenerator, pdbGenerator, priorityClassGenerator, quotaGenerator, serviceAccountGenerator } from './simple.js';
import type { GeneratorSpec } from './types.js';

export { runGenerator } from './run.js';
export { expose, exposeFlags } from './expose.js';
export { jobFromCronJob } from './batch.js';
export { GeneratorError, type FlagSpec, type GeneratorEnv, type GeneratorSpec } from './types.js';

export const parentAliases: Record<string, string[]> = { service: ['svc'], secret: [] };

export const createGenerators: GeneratorSpec[] = [
  clusterRoleGenerator,
  clusterRoleBindingGenerator,
  configMapGenerator,
  cronJobGenerator,
  deploymentGenerator,
  ingressGenerator,
  jobGenerator,
  namespaceGenerator,
  pdbGenerator,
  priorityClassGenerator,
  quotaGenerator,
  roleGenerator,
  roleBindingGenerator,
  secretDockerRegistryGenerator,
  secretGenericGenerator,
  secretTlsGenerator,
  serviceClusterIPGenerator,
  serviceExternalNameGenerator,
  serviceLoadBalancerGenerator,
  serviceNodePortGenerator,
  serviceAccountGenerator,
];

/** `-o name` for a generated object: lower-case kind, with the group when it has one. */
export function objectName(obj: { kind: string; apiVersion: string; metadata: { name: string } }): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return `${obj.kind.toLowerCase()}${group ? '.' + group : ''}/${obj.metadata.name}`;
}
