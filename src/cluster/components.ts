// Every component of the control plane and the nodes, in the order a settle round runs them: the
// order the seed documents tell the story in (controllers, then the scheduler, then the kubelets).
import type { Component } from '../controllers/component.js';
import { serviceAccountController } from '../controllers/serviceaccount.js';
import { rootCaPublisher } from '../controllers/root-ca-publisher.js';
import { namespaceController } from '../controllers/namespace.js';
import { garbageCollector } from '../controllers/garbage-collector.js';
import { resourceQuotaController } from '../controllers/resourcequota.js';
import { nodeIpamController } from '../controllers/nodeipam.js';
import { deploymentController } from '../controllers/deployment/index.js';
import { replicaSetController } from '../controllers/replicaset.js';
import { daemonSetController } from '../controllers/daemonset.js';
import { eventTtlController } from '../controllers/event-ttl.js';
import { scheduler } from '../scheduler/index.js';
import { kubelets } from '../kubelet/index.js';

export const COMPONENTS: Component[] = [
  namespaceController, garbageCollector, serviceAccountController, rootCaPublisher, resourceQuotaController,
  nodeIpamController, deploymentController, replicaSetController, daemonSetController, eventTtlController,
  scheduler, kubelets,
];
