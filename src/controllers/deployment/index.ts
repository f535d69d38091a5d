// PLACEHOLDER: being written in this session.
import type { Component } from '../component.js';

export const deploymentController: Component = {
  name: 'deployment-controller',
  async reconcile() {
    return false;
  },
};
