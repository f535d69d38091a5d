// What a describer may ask of the cluster: the same reads kubectl's describers make through the API.
export interface DescribeLookup {
  now: number; // epoch ms, for ages
  /** objects of a resource (plural name, e.g. 'pods', 'replicasets'), in a namespace (undefined = all), optional label selector string */
  list(resource: string, namespace?: string, labelSelector?: string): any[];
  /**
   * Event objects whose involvedObject is this object (uid match), any order; null when events are
   * not wanted (--show-events=false): kubectl then leaves the Events section out entirely.
   */
  events(obj: any): any[] | null;
}
