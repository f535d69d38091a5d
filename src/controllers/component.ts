// A control-plane component: level-triggered, it reads the world through the apiserver and
// writes through it, and says whether it changed anything.
import type { ApiServer } from '../apiserver/apiserver.js';
import { resourceFor } from '../apiserver/apiserver.js';
import type { ApiRequest, KObject, UserInfo } from '../apiserver/types.js';

export interface Component {
  name: string;
  reconcile(c: ComponentClient): Promise<boolean>;
}

/** The in-process client a component uses: same apiserver, same checks, its own identity. */
export class ComponentClient {
  constructor(readonly api: ApiServer, readonly user: UserInfo) {}

  now(): number {
    return this.api.clock.now();
  }

  async list(resource: string, namespace?: string): Promise<KObject[]> {
    const res = await this.api.handle({ verb: 'list', resource: resourceFor(resource), namespace, user: this.user });
    if (res.code >= 300) throw new Error(`${resource}: ${res.body.message}`);
    return res.body.items;
  }

  async get(resource: string, namespace: string | undefined, name: string): Promise<KObject | undefined> {
    const res = await this.api.handle({ verb: 'get', resource: resourceFor(resource), namespace, name, user: this.user });
    return res.code === 200 ? res.body : undefined;
  }

  /** Sends a write; AlreadyExists, NotFound and Conflict are normal for a level-triggered loop. */
  async write(req: Omit<ApiRequest, 'user' | 'resource'> & { resource: string }): Promise<KObject | undefined> {
    const res = await this.api.handle({ ...req, resource: resourceFor(req.resource), user: this.user });
    if (res.code >= 300) {
      if ([404, 409].includes(res.code)) return undefined;
      throw new Error(`${req.verb} ${req.resource} ${req.name ?? req.body?.metadata?.name ?? ''}: ${res.body.message}`);
    }
    return res.body;
  }
}

export const CONTROLLER_MANAGER: UserInfo = { username: 'system:kube-controller-manager', groups: ['system:masters', 'system:authenticated'] };
