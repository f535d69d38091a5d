// PLACEHOLDER: being written in this session.
import type { Component } from './component.js';

export const daemonSetController: Component = {
  name: 'daemonset-controller',
  async reconcile() {
    return false;
  },
};
