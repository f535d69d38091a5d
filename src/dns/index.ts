// The cluster DNS: CoreDNS's answers (records.ts), the pod's resolver files (resolv.ts), the stub
// resolver programs use (resolver.ts) and the DNS tools of `kubectl exec` (tools/).
export type { DnsMessage, DnsRecord, QType, RRType, Rcode } from './message.js';
export { query, clusterSOA, clusterDNSIPs, CLUSTER_DOMAIN, DNS_TTL } from './records.js';
export { resolvConf, hostsFile, podDNSConfig, podHostname, parseResolvConf, nodeResolvConfText, nodeHostsText } from './resolv.js';
export { resolveName, exchange, candidates, searchSettings } from './resolver.js';
export type { ResolveResult } from './resolver.js';
export { nslookup, dig, host, dnsTool, imageHasTool } from './tools/index.js';
