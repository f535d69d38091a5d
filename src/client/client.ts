// What kubectl's REST client does for a command: builds requests for the current identity and
// turns failed responses into errors carrying the server's Status.
import type { ApiServer } from '../apiserver/apiserver.js';
import { ApiError } from '../apiserver/errors.js';
import type { ResourceInfo } from '../apiserver/resources.js';
import type { ApiRequest, KObject } from '../apiserver/types.js';
import type { Identity } from '../cluster/session.js';

export type RequestOptions = Partial<Omit<ApiRequest, 'verb' | 'resource' | 'user'>>;

export class Client {
  constructor(
    readonly api: ApiServer,
    readonly identity: Identity,
  ) {}

  get namespace(): string {
    return this.identity.namespace;
  }

  async request(verb: ApiRequest['verb'], ri: ResourceInfo, opts: RequestOptions = {}): Promise<KObject> {
    const req: ApiRequest = {
      verb,
      resource: ri,
      user: this.identity.user,
      impersonate: this.identity.impersonate,
      ...opts,
      namespace: ri.namespaced ? opts.namespace ?? (verb === 'list' || verb === 'deletecollection' ? opts.namespace : this.namespace) : undefined,
    };
    const res = await this.api.handle(req);
    if (res.code >= 300) throw new ApiError(res.body as any);
    return res.body;
  }

  get(ri: ResourceInfo, name: string, namespace?: string): Promise<KObject> {
    return this.request('get', ri, { name, namespace });
  }

  /** namespace undefined with allNamespaces lists across the cluster */
  async list(ri: ResourceInfo, opts: { namespace?: string; allNamespaces?: boolean; labelSelector?: string; fieldSelector?: string } = {}): Promise<KObject> {
    const namespace = ri.namespaced ? (opts.allNamespaces ? undefined : opts.namespace ?? this.namespace) : undefined;
    return this.request('list', ri, { namespace, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
  }

  create(ri: ResourceInfo, body: KObject, opts: RequestOptions = {}): Promise<KObject> {
    return this.request('create', ri, { body, namespace: body.metadata?.namespace, ...opts });
  }

  update(ri: ResourceInfo, body: KObject, opts: RequestOptions = {}): Promise<KObject> {
    return this.request('update', ri, { body, name: body.metadata?.name, namespace: body.metadata?.namespace, ...opts });
  }

  patch(ri: ResourceInfo, name: string, patchType: ApiRequest['patchType'], body: any, opts: RequestOptions = {}): Promise<KObject> {
    return this.request('patch', ri, { name, patchType, body, ...opts });
  }

  delete(ri: ResourceInfo, name: string, opts: RequestOptions = {}): Promise<KObject> {
    return this.request('delete', ri, { name, ...opts });
  }
}
