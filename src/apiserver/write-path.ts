// Everything only writes need, in one lazily loaded module: admission plugins, decoding and
// validation, and the patch types.
export { admitMutating, admitValidating } from './admission/index.js';
export { decode, validateSemantics } from './validation/index.js';
export { applyPatch } from './patch.js';
export { updateManagedFields, serverSideApply } from '../client/apply/server-side-apply.js';
export { jsonPatchFailureStatus } from '../client/apply/json-patch.js';
