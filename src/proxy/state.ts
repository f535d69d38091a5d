// Where each node's programmed rules are kept: c.state('kube-proxy') in the cluster's component
// state (world.components on the network side).
import type { ProxyView } from './view.js';

export const PROXY_STATE_KEY = 'kube-proxy';

export interface ProxyState {
  /** the newest view's version */
  latest: number;
  /** views still programmed on some node, by version */
  views: Record<string, ProxyView>;
  /** per node: the version of the view its kube-proxy last programmed */
  nodes: Record<string, number>;
}

export const newState = (): ProxyState => ({ latest: 0, views: {}, nodes: {} });

/** The view a node's kube-proxy has programmed (undefined: it never ran), from the components' state. */
export function programmedView(components: Record<string, any> | undefined, nodeName: string): ProxyView | undefined {
  const st = components?.[PROXY_STATE_KEY] as ProxyState | undefined;
  const v = st?.nodes[nodeName];
  return v === undefined ? undefined : st!.views[String(v)];
}

