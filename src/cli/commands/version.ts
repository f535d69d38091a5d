// minikctl version: the client is a kubectl 1.32 equivalent, the server a simulated v1.36
// apiserver. `--client` must not open the cluster: it is the benchmarked fast path.
import type { Cli } from '../cli.js';
import { CliError } from '../errors.js';

const CLIENT_GIT_VERSION = 'v1.32.4-minikctl';
const SERVER_GIT_VERSION = 'v1.36.0';

/** The fields of k8s.io/apimachinery/pkg/version.Info as kubectl 1.32 knows them, in its order. */
interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** Go's GOARCH names, so `platform` reads like kubectl's ("linux/amd64"). */
function platform(): string {
  const arch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };
  return `${process.platform}/${arch[process.arch] ?? process.arch}`;
}

function info(gitVersion: string): VersionInfo {
  const m = /^v(\d+)\.(\d+)\.\d+(.*)$/.exec(gitVersion)!;
  return {
    major: m[1],
    // kubectl marks builds with a suffix after the patch number with a "+" on the minor.
    minor: m[3] ? `${m[2]}+` : m[2],
    gitVersion,
    // There is no Go build behind minikctl; say what actually runs it rather than invent values.
    gitCommit: '',
    gitTreeState: '',
    buildDate: '',
    goVersion: `node${process.versions.node}`,
    compiler: 'esbuild',
    platform: platform(),
  };
}

export const clientVersionInfo = (): VersionInfo => info(CLIENT_GIT_VERSION);
export const serverVersionInfo = (): VersionInfo => info(SERVER_GIT_VERSION);

export function register(cli: Cli): void {
  cli.program
    .command('version')
    .description('Print the client and server version information for the current context.')
    .usage('[flags] [options]')
    .option('--client', 'If true, shows client version only (no server required).')
    .option('-o, --output <format>', "One of 'yaml' or 'json'.")
    .action(async (opts: { client?: boolean; output?: string }) => {
      if (opts.output !== undefined && opts.output !== 'yaml' && opts.output !== 'json') {
        throw new CliError("error: --output must be 'yaml' or 'json'");
      }
      const result: { clientVersion: VersionInfo; serverVersion?: VersionInfo } = { clientVersion: clientVersionInfo() };
      if (!opts.client) {
        // Reaching the server means resolving the context and opening the cluster, as kubectl would.
        result.serverVersion = await cli.withClient(false, async () => serverVersionInfo());
      }
      if (opts.output === 'json') {
        // kubectl: json.MarshalIndent(v, "", "  ") then Fprintln.
        cli.out(`${JSON.stringify(result, null, 2)}\n`);
      } else if (opts.output === 'yaml') {
        const { toYaml } = await import('../../printers/yaml.js');
        // kubectl prints the YAML (already newline-terminated) with Fprintln: one blank line follows.
        cli.out(`${toYaml(result)}\n`);
      } else {
        cli.out(`Client Version: ${result.clientVersion.gitVersion}\n`);
        if (result.serverVersion) cli.out(`Server Version: ${result.serverVersion.gitVersion}\n`);
      }
      if (result.serverVersion) {
        const c = Number(result.clientVersion.minor.replace('+', ''));
        const s = Number(result.serverVersion.minor.replace('+', ''));
        if (Math.abs(c - s) > 1) {
          cli.err(
            `WARNING: version difference between client (${result.clientVersion.major}.${c}) and server (${result.serverVersion.major}.${s}) exceeds the supported minor version skew of +/-1\n`,
          );
        }
      }
    });
}
