// core/v1 ConfigMap and Secret: key formats, the 1 MiB cap, and the `immutable` lock.
import { FieldError, forbidden, invalid, required, tooLong } from './errors.js';
import { deepEqual, validateImmutable, validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { isConfigMapKey, nameIsDNSSubdomain } from './names.js';

export const MAX_SIZE = 1024 * 1024;
const IMMUTABLE_MSG = 'field is immutable when `immutable` is set';

function byteLen(s: any): number { return Buffer.byteLength(String(s ?? ''), 'utf8'); }
/** Secret data is base64 in JSON; its size counts the decoded bytes. */
function b64Len(s: any): number { return Buffer.from(String(s ?? ''), 'base64').length; }

export function validateConfigMap(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  let size = 0;
  for (const [k, v] of Object.entries(obj.data ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`data[${k}]`, k, m));
    size += byteLen(v);
  }
  for (const [k, v] of Object.entries(obj.binaryData ?? {})) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`binaryData[${k}]`, k, m));
    if (obj.data && k in obj.data) errs.push(invalid(`binaryData[${k}]`, k, 'duplicate of key present in data'));
    size += b64Len(v);
  }
  if (size > MAX_SIZE) errs.push(tooLong('', '', MAX_SIZE));
  return errs;
}

function immutableLock(obj: any, old: any, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    if (obj.immutable !== true) errs.push(forbidden('immutable', IMMUTABLE_MSG));
    for (const f of fields) if (!deepEqual(obj[f], old[f])) errs.push(forbidden(f, IMMUTABLE_MSG));
  }
  return errs;
}

export function validateConfigMapUpdate(obj: any, old: any): FieldError[] {
  return [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...immutableLock(obj, old, ['data', 'binaryData']),
    ...validateConfigMap(obj),
  ];
}

export function validateSecret(obj: any): FieldError[] {
  const errs = validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain);
  const data = obj.data ?? {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(`data[${k}]`, k, m));
    size += b64Len(v);
  }
  if (size > MAX_SIZE) errs.push(tooLong('data', '', MAX_SIZE));
  const need = (key: string) => { if (!(key in data)) errs.push(required(`data[${key}]`)); };
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      if (!obj.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    case 'kubernetes.io/dockercfg': need('.dockercfg'); break;
    case 'kubernetes.io/dockerconfigjson': need('.dockerconfigjson'); break;
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) errs.push(required('data[username]'));
      break;
    case 'kubernetes.io/ssh-auth': need('ssh-privatekey'); break;
    case 'kubernetes.io/tls': need('tls.crt'); need('tls.key'); break;
    default: break;
  }
  return errs;
}

export function validateSecretUpdate(obj: any, old: any): FieldError[] {
  return [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validateImmutable(obj.type, old.type, 'type'),
    ...immutableLock(obj, old, ['data']),
    ...validateSecret(obj),
  ];
}
