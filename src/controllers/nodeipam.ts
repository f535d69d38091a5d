// PLACEHOLDER: being written in this session.
import type { Component } from './component.js';

export const nodeIpamController: Component = {
  name: 'node-ipam-controller',
  async reconcile() {
    return false;
  },
};
