// Builders for the table tests: minimal valid objects, defaulted the way the apiserver would.
import { applyDefaults } from '../../../src/apiserver/admission/defaults/index.js';
import { errorString, validateObject } from '../../../src/apiserver/validation/semantic/index.js';

export function deployment(over: (d: any) => void = () => {}): any {
  const d: any = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } },
    },
  };
  over(d);
  return d;
}

export function pod(over: (p: any) => void = () => {}): any {
  const p: any = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  over(p);
  return p;
}

/** Default then validate; the errors as the apiserver prints each one. */
export function check(obj: any, old?: any): string[] {
  applyDefaults(obj.kind, obj.apiVersion, obj);
  if (old) applyDefaults(old.kind, old.apiVersion, old);
  return validateObject(obj.kind, obj.apiVersion, obj, old).map(errorString);
}
