// PLACEHOLDER: being written in this session.
import type { Component } from './component.js';

export const replicaSetController: Component = {
  name: 'replicaset-controller',
  async reconcile() {
    return false;
  },
};
