// minikctl cluster-info: where the control plane and the cluster services labelled
// kubernetes.io/cluster-service=true are reachable, coloured like kubectl only on a terminal.
import type { Cli } from '../cli.js';
import { resolveResource } from '../../apiserver/resources.js';

/** The simulated cluster listens nowhere; this is the address a kubeadm cluster would show. */
export const DEFAULT_SERVER = 'https://127.0.0.1:6443';

// kubectl uses daviddollar/go-colortext: "\x1b[0;32m" ... "\x1b[0m". chalk writes different
// bytes ("\x1b[32m" ... "\x1b[39m"), so the sequences are written directly.
const GREEN = '\x1b[0;32m';
const YELLOW = '\x1b[0;33m';
const RESET = '\x1b[0m';

function line(name: string, url: string, color: boolean): string {
  return color ? `${GREEN}${name}${RESET} is running at ${YELLOW}${url}${RESET}\n` : `${name} is running at ${url}\n`;
}

export function register(cli: Cli): void {
  const cmd = cli.program
    .command('cluster-info')
    .description('Display addresses of the control plane and services with label kubernetes.io/cluster-service=true.')
    .usage('[flags] [options]');
  cmd
    .command('dump')
    .description('Dump cluster information out suitable for debugging and diagnosing cluster problems.')
    .action(() => {
      cli.err('error: cluster-info dump is not supported by minikctl yet\n');
      process.exitCode = 1;
    });
  cmd.action(async () => {
    const color = !!process.stdout.isTTY;
    await cli.withClient(false, async (client, session) => {
      const clusterRef = session.config.contexts.find((c) => c.name === session.identity.contextName)?.context.cluster;
      const server = session.config.clusters.find((c) => c.name === (cli.globals().cluster ?? clusterRef))?.cluster.server ?? '';
      // A kubeconfig written by `config set-cluster --server=https://...` wins; minikctl:// is internal.
      const base = /^https?:\/\//.test(server) ? server.replace(/\/+$/, '') : DEFAULT_SERVER;
      let out = line('Kubernetes control plane', base, color);
      const services = await client.list(resolveResource('services')!, { namespace: 'kube-system', labelSelector: 'kubernetes.io/cluster-service=true' });
      for (const svc of services.items ?? []) {
        const meta = svc.metadata ?? {};
        let link: string;
        const ingress = svc.status?.loadBalancer?.ingress ?? [];
        const port = svc.spec?.ports?.[0];
        if (ingress.length > 0) {
          const ip = ingress[0].ip || ingress[0].hostname;
          link = `http://${ip}${port ? `:${port.port}` : ''}`;
        } else {
          let name = meta.name;
          if (port) {
            // kubectl guesses https from the port, then writes <scheme>:<name>:<port name>.
            const scheme = port.name === 'https' || port.port === 443 ? 'https' : '';
            if (scheme) name = `${scheme}:${name}:${port.name ?? ''}`;
            else if (port.name) name = `${name}:${port.name}`;
          }
          link = `${base}/api/v1/namespaces/kube-system/services/${name}/proxy`;
        }
        out += line(meta.labels?.['kubernetes.io/name'] || meta.name, link, color);
      }
      out += "\nTo further debug and diagnose cluster problems, use 'minikctl cluster-info dump'.\n";
      cli.out(out);
    });
  });
}
