// The simulation runtime: runs every component until nothing changes. The control plane adds the
// virtual clock and its timers on top of this loop.
import type { ApiServer } from '../apiserver/apiserver.js';
import { ComponentClient, CONTROLLER_MANAGER, type Component } from '../controllers/component.js';
import { serviceAccountController } from '../controllers/serviceaccount.js';
import { rootCaPublisher } from '../controllers/root-ca-publisher.js';
import { namespaceController } from '../controllers/namespace.js';
import { garbageCollector } from '../controllers/garbage-collector.js';
import { resourceQuotaController } from '../controllers/resourcequota.js';

export const COMPONENTS: Component[] = [namespaceController, garbageCollector, serviceAccountController, rootCaPublisher, resourceQuotaController];

const MAX_ROUNDS = 50;

export async function settle(api: ApiServer): Promise<void> {
  const client = new ComponentClient(api, CONTROLLER_MANAGER);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let changed = false;
    for (const comp of COMPONENTS) {
      if (await comp.reconcile(client)) changed = true;
    }
    if (!changed) return;
  }
}
