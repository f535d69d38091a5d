// `kubectl get` human-readable output: the server-side table for each kind (printers.go), decorated
// on the client as kubectl does (NAMESPACE for -A, kind/name prefixes, -L columns, LABELS), then
// aligned by tabwriter.
import type { Cell, ColumnDef, TableDef } from './types.js';
import { tabwrite } from './tabwriter.js';
import { formatLabels } from './helpers.js';
import { findJsonPathResults, relaxedJsonPath, goJson, goScalar } from '../jsonpath.js';
import { translateTimestampSince } from '../age.js';
import { pod } from './pod.js';
import { replicaSet } from './replicaset.js';
import { replicationController } from './replicationcontroller.js';
import { deployment } from './deployment.js';
import { daemonSet } from './daemonset.js';
import { statefulSet } from './statefulset.js';
import { service } from './service.js';
import { endpoints } from './endpoints.js';
import { endpointSlice } from './endpointslice.js';
import { namespace } from './namespace.js';
import { node } from './node.js';
import { configMap } from './configmap.js';
import { secret } from './secret.js';
import { serviceAccount } from './serviceaccount.js';
import { event } from './event.js';
import { role } from './role.js';
import { roleBinding } from './rolebinding.js';
import { job } from './job.js';
import { cronJob } from './cronjob.js';
import { resourceQuota } from './resourcequota.js';
import { limitRange } from './limitrange.js';
import { podDisruptionBudget } from './poddisruptionbudget.js';
import { ingress } from './ingress.js';
import { ingressClass } from './ingressclass.js';
import { networkPolicy } from './networkpolicy.js';
import { lease } from './lease.js';
import { persistentVolumeClaim } from './persistentvolumeclaim.js';
import { persistentVolume } from './persistentvolume.js';
import { storageClass } from './storageclass.js';
import { horizontalPodAutoscaler } from './horizontalpodautoscaler.js';
import { priorityClass } from './priorityclass.js';
import { controllerRevision } from './controllerrevision.js';
import { webhookConfiguration } from './webhookconfiguration.js';
import { runtimeClass } from './runtimeclass.js';
import { defaultTable, createdAtTable } from './default.js';

export type { TableDef, ColumnDef, Cell } from './types.js';

const TABLES: Record<string, TableDef> = {
  Pod: pod,
  ReplicaSet: replicaSet,
  ReplicationController: replicationController,
  Deployment: deployment,
  DaemonSet: daemonSet,
  StatefulSet: statefulSet,
  Service: service,
  Endpoints: endpoints,
  EndpointSlice: endpointSlice,
  Namespace: namespace,
  Node: node,
  ConfigMap: configMap,
  Secret: secret,
  ServiceAccount: serviceAccount,
  Event: event,
  Role: role,
  ClusterRole: role,
  RoleBinding: roleBinding,
  ClusterRoleBinding: roleBinding,
  Job: job,
  CronJob: cronJob,
  ResourceQuota: resourceQuota,
  LimitRange: limitRange,
  PodDisruptionBudget: podDisruptionBudget,
  Ingress: ingress,
  IngressClass: ingressClass,
  NetworkPolicy: networkPolicy,
  Lease: lease,
  PersistentVolumeClaim: persistentVolumeClaim,
  PersistentVolume: persistentVolume,
  StorageClass: storageClass,
  HorizontalPodAutoscaler: horizontalPodAutoscaler,
  PriorityClass: priorityClass,
  ControllerRevision: controllerRevision,
  MutatingWebhookConfiguration: webhookConfiguration,
  ValidatingWebhookConfiguration: webhookConfiguration,
  RuntimeClass: runtimeClass,
  // built-ins the apiserver prints with its default convertor
  CustomResourceDefinition: createdAtTable,
  APIService: createdAtTable,
  CertificateSigningRequest: createdAtTable,
  PodTemplate: createdAtTable,
};

/** A CRD's additionalPrinterColumns entry. */
export interface PrinterColumn {
  name: string;
  jsonPath: string;
  priority?: number;
  type?: string;
}

/**
 * The table the apiserver builds from a CRD's additionalPrinterColumns: NAME, then exactly those
 * columns (a CRD that wants AGE lists it, usually as a `date` column on .metadata.creationTimestamp).
 * Without columns it is NAME AGE.
 */
export function customResourceTable(columns: PrinterColumn[]): TableDef {
  if (columns.length === 0) return defaultTable;
  return {
    columns: [{ name: 'Name' }, ...columns.map((c) => ({ name: c.name, priority: c.priority ?? 0 }))],
    row(o, now) {
      const cells: Cell[] = [o.metadata?.name];
      for (const c of columns) {
        let v: Cell = null;
        try {
          const r = findJsonPathResults(relaxedJsonPath(c.jsonPath), o, true)[0] ?? [];
          if (r.length > 0) {
            const x = r[0];
            if (c.type === 'date') v = typeof x === 'string' ? translateTimestampSince(x, now) : null;
            else if (c.type === 'string' || c.type === undefined) v = typeof x === 'object' && x !== null ? goJson(x) : goScalar(x);
            else v = typeof x === 'object' && x !== null ? null : (x as Cell);
          }
        } catch {
          v = null;
        }
        cells.push(v);
      }
      return cells;
    },
  };
}

/** The printer for a kind (NAME AGE for kinds without one, e.g. custom resources). */
export function tableDefFor(kind: string): TableDef {
  return TABLES[kind] ?? defaultTable;
}

export function hasTableFor(kind: string): boolean {
  return kind in TABLES;
}

export interface PrintTableOptions {
  wide?: boolean;
  noHeaders?: boolean;
  showLabels?: boolean;
  /** -L keys: one upper-cased column each (the part after the last `/`) */
  labelColumns?: string[];
  /** -A: a NAMESPACE column first */
  withNamespace?: boolean;
  /** e.g. `pod` or `deployment.apps`: NAME shows `pod/x`, as in `get all` or several kinds */
  withKindPrefix?: string;
  /** epoch ms the ages are computed against (the cluster's virtual clock) */
  now: number;
  /** a CRD's additionalPrinterColumns, used instead of the kind's table */
  printerColumns?: PrinterColumn[];
}

/** How kubectl renders a cell: the first line only (then `...`), numbers and booleans as Go prints them. */
function renderCell(c: Cell): string {
  if (c === null || c === undefined) return '';
  if (typeof c !== 'string') return String(c);
  const br = c.search(/[\f\n\r]/);
  return br >= 0 ? c.slice(0, br) + '...' : c;
}

/** The header and rows of the table, before alignment (for callers that align several tables). */
export function tableRows(kind: string, objs: any[], opts: PrintTableOptions): string[][] {
  const def = opts.printerColumns ? customResourceTable(opts.printerColumns) : tableDefFor(kind);
  const shown = def.columns.map((c, i) => ({ c, i })).filter(({ c }) => opts.wide || !c.priority);
  const nameIdx = def.columns.findIndex((c) => c.name === 'Name');
  const labelKeys = opts.labelColumns ?? [];

  const rows: string[][] = [];
  if (!opts.noHeaders) {
    const h: string[] = [];
    if (opts.withNamespace) h.push('NAMESPACE');
    for (const { c } of shown) h.push(c.name.toUpperCase());
    for (const k of labelKeys) h.push(k.split('/').pop()!.toUpperCase());
    if (opts.showLabels) h.push('LABELS');
    rows.push(h);
  }
  for (const o of objs) {
    const cells = def.row(o, opts.now);
    const r: string[] = [];
    if (opts.withNamespace) r.push(o.metadata?.namespace ?? '');
    for (const { i } of shown) {
      let v = renderCell(cells[i]);
      if (i === nameIdx && opts.withKindPrefix) v = `${opts.withKindPrefix}/${v}`;
      r.push(v);
    }
    const labels: Record<string, string> = o.metadata?.labels ?? {};
    for (const k of labelKeys) r.push(labels[k] ?? '');
    if (opts.showLabels) r.push(formatLabels(labels));
    rows.push(r);
  }
  return rows;
}

/**
 * `kubectl get` table text for objects of one kind, ending in a newline. An empty list gives ''
 * (the caller prints noResourcesMessage to stderr instead).
 */
export function printTable(kind: string, objs: any[], opts: PrintTableOptions): string {
  if (objs.length === 0) return '';
  return tabwrite(tableRows(kind, objs, opts));
}

/** What kubectl get prints on stderr for an empty result: pass no namespace for -A / cluster-scoped. */
export function noResourcesMessage(namespace?: string): string {
  return namespace ? `No resources found in ${namespace} namespace.` : 'No resources found';
}

export { tabwrite };
