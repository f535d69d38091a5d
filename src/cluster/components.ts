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
import { kubeProxy } from '../proxy/index.js';
import { disruptionController } from '../controllers/disruption.js';
import { nodeLifecycleController } from '../controllers/node-lifecycle.js';
import { taintEvictionController } from '../controllers/taint-eviction.js';
import { podGcController } from '../controllers/pod-gc.js';
import { statefulSetController } from '../controllers/statefulset/index.js';
import { endpointsController } from '../controllers/endpoints.js';
import { endpointSliceController } from '../controllers/endpointslice/index.js';
import { serviceLoadBalancerController } from '../controllers/service-lb.js';
import { persistentVolumeBinder } from '../controllers/persistentvolume/binder.js';
import { localPathProvisioner } from '../controllers/persistentvolume/provisioner.js';
import { pvcProtectionController } from '../controllers/persistentvolume/pvc-protection.js';
import { pvProtectionController } from '../controllers/persistentvolume/pv-protection.js';
import { cronJobController } from '../controllers/cronjob/index.js';
import { jobController } from '../controllers/job/index.js';
import { ttlAfterFinishedController } from '../controllers/ttl-after-finished.js';
import { horizontalPodAutoscalerController } from '../controllers/hpa/index.js';

export const COMPONENTS: Component[] = [
  namespaceController, garbageCollector, serviceAccountController, rootCaPublisher, resourceQuotaController,
  nodeIpamController, nodeLifecycleController, taintEvictionController, podGcController, horizontalPodAutoscalerController,
  deploymentController, replicaSetController, daemonSetController, cronJobController, jobController, ttlAfterFinishedController, statefulSetController, endpointsController, endpointSliceController, serviceLoadBalancerController, persistentVolumeBinder, localPathProvisioner, pvcProtectionController, pvProtectionController, eventTtlController,
  disruptionController, scheduler, kubelets, kubeProxy,
];
