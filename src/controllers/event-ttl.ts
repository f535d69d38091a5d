// PLACEHOLDER: being written in this session.
import type { Component } from './component.js';

export const eventTtlController: Component = {
  name: 'event-ttl',
  async reconcile() {
    return false;
  },
};
