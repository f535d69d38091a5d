// PLACEHOLDER: being written in this session.
import type { Component } from '../controllers/component.js';

export const scheduler: Component = {
  name: 'default-scheduler',
  async reconcile() {
    return false;
  },
};
