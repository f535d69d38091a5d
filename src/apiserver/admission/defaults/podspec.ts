// Pod spec defaults (core/v1 defaults.go), applied to Pods and to every pod template.

function imagePullPolicy(image: string | undefined): string {
  // A digest pins the image; otherwise only an explicit non-"latest" tag avoids pulling every time.
  const img = image ?? '';
  if (img.includes('@')) return 'IfNotPresent';
  const lastSlash = img.lastIndexOf('/');
  const colon = img.lastIndexOf(':');
  const tag = colon > lastSlash ? img.slice(colon + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(h: any): void {
  if (!h) return;
  if (h.httpGet) {
    h.httpGet.path ??= '/';
    h.httpGet.scheme ??= 'HTTP';
  }
}

function defaultProbe(p: any): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  defaultHandler(p);
  if (p.grpc) p.grpc.service ??= '';
}

function defaultFieldRef(ref: any): void {
  if (ref) ref.apiVersion ??= 'v1';
}

function defaultContainer(c: any): void {
  if (!c || typeof c !== 'object') return;
  c.imagePullPolicy ??= imagePullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of c.ports ?? []) if (p) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) defaultFieldRef(e?.valueFrom?.fieldRef);
  for (const e of c.env ?? []) {
    const rf = e?.valueFrom?.resourceFieldRef;
    if (rf) rf.divisor ??= '0';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

function defaultVolume(v: any): void {
  if (!v || typeof v !== 'object') return;
  // A volume with no source is an emptyDir.
  if (Object.keys(v).filter((k) => k !== 'name').length === 0) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= 420;
    for (const item of v.downwardAPI.items ?? []) defaultFieldRef(item?.fieldRef);
  }
  if (v.projected) {
    v.projected.defaultMode ??= 420;
    for (const s of v.projected.sources ?? []) {
      if (s?.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      for (const item of s?.downwardAPI?.items ?? []) defaultFieldRef(item?.fieldRef);
    }
  }
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.iscsi) v.iscsi.iscsiInterface ??= 'default';
  if (v.rbd) { v.rbd.pool ??= 'rbd'; v.rbd.user ??= 'admin'; v.rbd.keyring ??= '/etc/ceph/keyring'; }
  if (v.azureDisk) { v.azureDisk.cachingMode ??= 'ReadWrite'; v.azureDisk.fsType ??= 'ext4'; v.azureDisk.readOnly ??= false; v.azureDisk.kind ??= 'Shared'; }
}

/** SetDefaults_PodSpec and everything below it. */
export function defaultPodSpec(spec: any): void {
  if (!spec || typeof spec !== 'object') return;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  if (spec.hostNetwork) {
    // With the host's network a container port is the host port.
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const p of c?.ports ?? []) if (p && p.hostPort == null) p.hostPort = p.containerPort;
    }
  }
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** A pod template: `metadata` is serialized even when empty. */
export function defaultPodTemplate(tpl: any): void {
  if (!tpl || typeof tpl !== 'object') return;
  tpl.metadata ??= {};
  tpl.metadata.creationTimestamp ??= null;
  tpl.spec ??= {};
  defaultPodSpec(tpl.spec);
}
