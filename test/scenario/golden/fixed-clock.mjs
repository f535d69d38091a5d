// Preloaded (node --import) into the one CLI call that creates a scenario's cluster: the cluster's
// virtual clock starts at the wall clock, so pinning the wall clock for that call makes every later
// timestamp of the scenario the same from run to run. Later calls run in manual time and never read it.
const FIXED = Date.parse(process.env.MINIKCTL_FIXED_NOW || '2026-03-02T10:00:00Z');
Date.now = () => FIXED;
