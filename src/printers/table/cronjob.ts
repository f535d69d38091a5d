import type { TableDef } from './types.js';
import { age, containerCells, formatLabelSelector } from './helpers.js';
import { translateTimestampSince } from '../age.js';

export const cronJob: TableDef = {
  columns: [
    { name: 'Name' },
    { name: 'Schedule' },
    { name: 'Timezone' },
    { name: 'Suspend' },
    { name: 'Active' },
    { name: 'Last Schedule' },
    { name: 'Age' },
    { name: 'Containers', priority: 1 },
    { name: 'Images', priority: 1 },
    { name: 'Selector', priority: 1 },
  ],
  row(o, now) {
    const suspend = o.spec?.suspend == null ? '<unset>' : o.spec.suspend ? 'True' : 'False';
    const last = o.status?.lastScheduleTime ? translateTimestampSince(o.status.lastScheduleTime, now) : '<none>';
    const jobSpec = o.spec?.jobTemplate?.spec ?? {};
    const [names, images] = containerCells(jobSpec.template?.spec?.containers);
    return [
      o.metadata?.name,
      o.spec?.schedule ?? '',
      o.spec?.timeZone ?? '<none>',
      suspend,
      (o.status?.active ?? []).length,
      last,
      age(o, now),
      names,
      images,
      formatLabelSelector(jobSpec.selector),
    ];
  },
};
