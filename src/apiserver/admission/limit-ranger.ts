// LimitRanger: default requests and limits from the namespace's LimitRanges, and their bounds.
import type { AdmissionContext } from './index.js';
import type { KObject } from '../types.js';

export function limitRangerMutate(_ctx: AdmissionContext, _pod: KObject): void {}

export function limitRangerValidate(_ctx: AdmissionContext, _obj: KObject): void {}
