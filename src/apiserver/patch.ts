// The patch types a PATCH request can carry, applied to the live object.
import type { ResourceInfo } from './resources.js';
import { groupVersion } from './resources.js';
import type { KObject, PatchType } from './types.js';
import { strategicMergePatch } from '../client/apply/strategic-merge.js';
import { jsonMergePatch } from '../client/apply/json-merge.js';
import { applyJsonPatch } from '../client/apply/json-patch.js';
import { serverSideApply } from '../client/apply/server-side-apply.js';
import { ApiError } from './errors.js';

export function applyPatch(type: PatchType, current: KObject, patch: any, ri: ResourceInfo, manager: string, force: boolean): KObject {
  const gvk = `${groupVersion(ri)}/${ri.kind}`;
  switch (type) {
    case 'strategic':
      return strategicMergePatch(current, patch, gvk);
    case 'merge':
      return jsonMergePatch(current, patch);
    case 'json':
      return applyJsonPatch(current, patch);
    case 'apply': {
      const r = serverSideApply(current, patch, manager, force, gvk, { now: new Date() });
      if (r.conflicts && r.conflicts.length > 0) {
        throw new ApiError({
          kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 409, reason: 'Conflict',
          message: r.message ?? `Apply failed with ${r.conflicts.length} conflict(s)`,
          details: { causes: r.conflicts.map((c: any) => ({ reason: 'FieldManagerConflict', message: c.message, field: c.field })) },
        });
      }
      return r.object;
    }
  }
}
