// get, describe and explain as a kubectl user sees them: exact stdout, stderr and exit code.
// Reference output: /work/shared/kubectl-wire/samples/kubectl-output/ (kubectl 1.32 on a real cluster).
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { run, freshHome, type RunResult } from './helpers.js';
import { RESOURCES } from '../../src/apiserver/resources.js';

const DEPLOY = join(__dirname, '..', '..', 'fixtures', 'my-app-deployment.yaml');

/**
 * A table as rows of cells, cut at the header's column starts, with ages replaced by <age> (the
 * cluster follows the wall clock). Cutting at the header's offsets also checks that every row is
 * aligned under its header, as kubectl's tabwriter aligns it.
 */
function table(out: string): string[][] {
  const lines = out.replace(/\n$/, '').split('\n');
  const header = lines[0];
  const starts: number[] = [];
  const re = /(?:^|\s{2,})(\S)/g;
  for (let m = re.exec(header); m; m = re.exec(header)) starts.push(m.index + m[0].length - 1);
  return lines.map((l) =>
    starts.map((s, i) => {
      const cell = l.slice(s, i + 1 < starts.length ? starts[i + 1] : undefined).trimEnd();
      // a cell must start exactly at its column: nothing of it may spill into the previous one
      if (s > 0 && l[s - 1] !== undefined && l[s - 1] !== ' ') throw new Error(`misaligned row ${JSON.stringify(l)} in\n${out}`);
      return /^\d+[smhd](\d+[smh])?$/.test(cell) ? '<age>' : cell;
    }),
  );
}

/** Several tables separated by blank lines, as `get a,b` and `get all` print them. */
function tables(out: string): string[][][] {
  return out.replace(/\n$/, '').split('\n\n').map((b) => table(`${b}\n`));
}

function ok(r: RunResult): RunResult {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r;
}

let home: string;
// Manual time: every pod stays where the command that made it left it (scheduled, its image still
// being pulled: ContainerCreating), so the tables below are the same on every run.
const k = (...args: string[]) => run(args, { home, env: { MINIKCTL_TIME: 'manual' } });
// The deployment controller names the seed deployment's three pods <rs>-<5 random characters>.
const APP_POD = /^my-app-[a-z0-9]+-[a-z0-9]{5}$/;
const appPod = expect.stringMatching(APP_POD);
const appRow = (...cells: string[]) => [appPod, ...cells];

beforeAll(() => {
  home = freshHome();
  ok(k('apply', '-f', DEPLOY));
  ok(k('run', 'web', '--image=nginx', '--labels=app=web,tier=fe'));
  ok(k('run', 'web2', '--image=busybox'));
  ok(k('create', 'service', 'clusterip', 'my-svc', '--tcp=80:8080'));
  ok(k('create', 'namespace', 'team'));
  ok(k('create', 'configmap', 'cfg', '-n', 'team', '--from-literal=a=1'));
});

describe('get: tables', () => {
  it('lists pods with the default columns', () => {
    expect(table(ok(k('get', 'pods')).stdout)).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      ...Array(3).fill(appRow('0/1', 'ContainerCreating', '0', '<age>')),
      ['web', '0/1', 'ContainerCreating', '0', '<age>'],
      ['web2', '0/1', 'ContainerCreating', '0', '<age>'],
    ]);
  });

  it('-o wide adds the wide columns', () => {
    expect(table(ok(k('get', 'pods', '-o', 'wide')).stdout)[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(table(ok(k('get', 'svc', 'my-svc', '-o', 'wide')).stdout)).toEqual([
      ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR'],
      ['my-svc', 'ClusterIP', expect.stringMatching(/^10\.\d+\.\d+\.\d+$/), '<none>', '80/TCP', '<age>', 'app=my-svc'],
    ]);
  });

  it('--show-labels, -L (repeatable, empty when unset) and --no-headers', () => {
    expect(table(ok(k('get', 'pods', '-L', 'app', '-L', 'tier', '--show-labels')).stdout)).toEqual([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'APP', 'TIER', 'LABELS'],
      ...Array(3).fill(appRow('0/1', 'ContainerCreating', '0', '<age>', 'my-app', '', expect.stringMatching(/^app=my-app,pod-template-hash=[a-z0-9]+$/))),
      ['web', '0/1', 'ContainerCreating', '0', '<age>', 'web', 'fe', 'app=web,tier=fe'],
      ['web2', '0/1', 'ContainerCreating', '0', '<age>', '', '', 'run=web2'],
    ]);
    const r = ok(k('get', 'pods', '--no-headers'));
    expect(r.stdout.split('\n').map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
      ...Array(3).fill(appRow('0/1', 'ContainerCreating', '0')),
      ['web', '0/1', 'ContainerCreating', '0'],
      ['web2', '0/1', 'ContainerCreating', '0'],
      [''],
    ]);
  });

  it('-n and -A (NAMESPACE column only for namespaced kinds)', () => {
    expect(table(ok(k('get', 'cm', '-n', 'team')).stdout)).toEqual([
      ['NAME', 'DATA', 'AGE'],
      ['cfg', '1', '<age>'],
      ['kube-root-ca.crt', '1', '<age>'],
    ]);
    const all = table(ok(k('get', 'pods', '-A')).stdout);
    expect(all[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(all.filter((r) => r[0] === 'default').map((r) => r[1])).toEqual([appPod, appPod, appPod, 'web', 'web2']);
    // -A also lists the cluster's own pods, in kube-system after default
    expect(all.slice(1).map((r) => r[0])).toEqual([...all.slice(1).map((r) => r[0])].sort());
    expect(all.filter((r) => r[0] === 'kube-system').map((r) => r[1])).toContain('etcd-minikctl-control-plane');
    expect(table(ok(k('get', 'ns', '-A')).stdout)[0]).toEqual(['NAME', 'STATUS', 'AGE']);
  });

  it('-l and --field-selector (metadata.name, status.phase)', () => {
    expect(ok(k('get', 'pods', '-l', 'app=web', '-o', 'name')).stdout).toBe('pod/web\n');
    expect(ok(k('get', 'pods', '-l', 'app!=web,app!=my-app', '-o', 'name')).stdout).toBe('pod/web2\n');
    expect(ok(k('get', 'pods', '-l', 'app=my-app', '-o', 'name')).stdout).toMatch(/^(pod\/my-app-[a-z0-9]+-[a-z0-9]{5}\n){3}$/);
    expect(ok(k('get', 'pods', '--field-selector', 'metadata.name=web2', '-o', 'name')).stdout).toBe('pod/web2\n');
    // ContainerCreating is the Pending phase
    expect(ok(k('get', 'pods', '--field-selector', 'status.phase=Pending', '-o', 'name')).stdout.split('\n').slice(3)).toEqual(['pod/web', 'pod/web2', '']);
    const none = k('get', 'pods', '--field-selector', 'status.phase=Running');
    expect(none).toMatchObject({ stdout: '', stderr: 'No resources found in default namespace.\n', code: 0 });
  });

  it('reports a field the server cannot select on the way the resource builder words it', () => {
    const r = k('get', 'pods', '--field-selector', 'foo=bar');
    expect(r.stderr).toBe('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "foo=bar": field label not supported: foo\n');
    expect(r.code).toBe(1);
  });

  it('--sort-by sorts by a field', () => {
    // busybox < nginx < your-image:latest (the seed deployment's pods)
    expect(ok(k('get', 'pods', '--sort-by=.spec.containers[0].image', '-o', 'name')).stdout.split('\n').slice(0, 2)).toEqual(['pod/web2', 'pod/web']);
    expect(table(ok(k('get', 'pods', '--sort-by', '{.spec.containers[0].image}')).stdout).map((r) => r[0])).toEqual(['NAME', 'web2', 'web', appPod, appPod, appPod]);
  });

  it('several kinds at once get a kind prefix and a blank line between tables', () => {
    expect(tables(ok(k('get', 'deploy,svc')).stdout)).toEqual([
      [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['deployment.apps/my-app', '0/3', '3', '0', '<age>']],
      [['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], ['service/kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '<age>'], ['service/my-svc', 'ClusterIP', expect.stringMatching(/^10\./), '<none>', '80/TCP', '<age>']],
    ]);
    // TYPE/NAME of two kinds: one table per kind, in the order given
    expect(tables(ok(k('get', 'svc/my-svc', 'pod/web')).stdout).map((t) => t.map((r) => r[0]))).toEqual([['NAME', 'service/my-svc'], ['NAME', 'pod/web']]);
    // TYPE/NAME of one kind: no prefix
    expect(table(ok(k('get', 'pod/web', 'pod/web2')).stdout).map((r) => r[0])).toEqual(['NAME', 'web', 'web2']);
  });

  it('get all lays out pods, services, deployments as all.txt does', () => {
    expect(tables(ok(k('get', 'all')).stdout)).toEqual([
      [
        ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
        ...Array(3).fill([expect.stringMatching(/^pod\/my-app-[a-z0-9]+-[a-z0-9]{5}$/), '0/1', 'ContainerCreating', '0', '<age>']),
        ['pod/web', '0/1', 'ContainerCreating', '0', '<age>'],
        ['pod/web2', '0/1', 'ContainerCreating', '0', '<age>'],
      ],
      [['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'], ['service/kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '<age>'], ['service/my-svc', 'ClusterIP', expect.stringMatching(/^10\./), '<none>', '80/TCP', '<age>']],
      [['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['deployment.apps/my-app', '0/3', '3', '0', '<age>']],
      [['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], [expect.stringMatching(/^replicaset\.apps\/my-app-[a-z0-9]+$/), '3', '3', '0', '<age>']],
    ]);
    const empty = k('get', 'all', '-n', 'team');
    expect(empty).toMatchObject({ stdout: '', stderr: 'No resources found in team namespace.\n', code: 0 });
  });

  it('get -f prints what the file names', () => {
    expect(table(ok(k('get', '-f', DEPLOY)).stdout)).toEqual([['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['my-app', '0/3', '3', '0', '<age>']]);
  });
});

describe('get: object formats', () => {
  it('a single named object prints bare, a list prints kind: List', () => {
    const one = ok(k('get', 'pod', 'web', '-o', 'yaml')).stdout;
    expect(one).toMatch(/^apiVersion: v1\nkind: Pod\nmetadata:\n/);
    expect(one).not.toContain('managedFields');
    expect(ok(k('get', 'pod/web', '-o', 'yaml')).stdout).toBe(one);
    const list = ok(k('get', 'pods', '-l', 'app!=my-app', '-o', 'yaml')).stdout;
    expect(list).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n/);
    expect(list.endsWith('kind: List\nmetadata:\n  resourceVersion: ""\n')).toBe(true);
    // two names are a list even though each was asked for by name
    expect(ok(k('get', 'pod', 'web', 'web2', '-o', 'yaml')).stdout).toBe(list);
    const json = JSON.parse(ok(k('get', 'pod', 'web', '-o', 'json')).stdout);
    expect(json.kind).toBe('Pod');
    const jlist = ok(k('get', 'pods', '-l', 'app!=my-app', '-o', 'json')).stdout;
    expect(jlist.startsWith('{\n    "apiVersion": "v1",\n    "items": [\n')).toBe(true);
    expect(jlist.endsWith('    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n')).toBe(true);
  });

  it('an empty list is still a List in yaml and nothing at all with -o name', () => {
    expect(ok(k('get', 'pods', '-n', 'team', '-o', 'yaml')).stdout).toBe('apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n');
    expect(ok(k('get', 'pods', '-n', 'team', '-o', 'name')).stdout).toBe('');
    expect(ok(k('get', 'pods', '-n', 'team', '-o', 'yaml', '--ignore-not-found')).stdout).toBe('');
  });

  it('-o name for one kind, several kinds, and group-qualified kinds', () => {
    expect(ok(k('get', 'pods', '-o', 'name')).stdout).toMatch(/^(pod\/my-app-[a-z0-9]+-[a-z0-9]{5}\n){3}pod\/web\npod\/web2\n$/);
    expect(ok(k('get', 'deploy,svc', '-o', 'name')).stdout).toBe('deployment.apps/my-app\nservice/kubernetes\nservice/my-svc\n');
  });

  it('jsonpath, with range, and jsonpath-as-json', () => {
    expect(ok(k('get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}')).stdout).toMatch(/^(my-app-[a-z0-9]+-[a-z0-9]{5} ){3}web web2$/);
    expect(ok(k('get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[0].image}{"\\n"}{end}')).stdout).toMatch(/^(my-app-[a-z0-9]+-[a-z0-9]{5}\tyour-image:latest\n){3}web\tnginx\nweb2\tbusybox\n$/);
    expect(ok(k('get', 'pod', 'web', '-o', 'jsonpath={.metadata.labels.tier}')).stdout).toBe('fe');
    expect(ok(k('get', 'pods', '-l', 'app!=my-app', '-o', 'jsonpath-as-json={.items[*].metadata.name}')).stdout).toBe('[\n    "web",\n    "web2"\n]\n');
  });

  it('custom-columns', () => {
    expect(ok(k('get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,TIER:.metadata.labels.tier')).stdout).toMatch(
      /^NAME                     IMAGE               TIER\n(my-app-[a-z0-9]+-[a-z0-9]{5}   your-image:latest   <none>\n){3}web                      nginx               fe\nweb2                     busybox             <none>\n$/,
    );
    expect(ok(k('get', 'pods', '-l', 'app!=my-app', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,TIER:.metadata.labels.tier')).stdout).toBe(
      'NAME   IMAGE     TIER\nweb    nginx     fe\nweb2   busybox   <none>\n',
    );
    expect(ok(k('get', 'pods', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name')).stdout).toMatch(/^(my-app-[a-z0-9]+-[a-z0-9]{5}\n){3}web\nweb2\n$/);
  });

  it('refuses an unknown output format', () => {
    const r = k('get', 'pods', '-o', 'xml');
    expect(r.stderr).toBe('error: unable to match a printer suitable for the output format "xml", allowed formats are: json,yaml,name,go-template,go-template-file,template,templatefile,jsonpath,jsonpath-as-json,jsonpath-file,custom-columns,custom-columns-file\n');
    expect(r.code).toBe(1);
  });
});

describe('get: names and errors', () => {
  it('prints what was found and reports what was not (exit 1)', () => {
    const r = k('get', 'deploy', 'my-app', 'nope');
    expect(table(r.stdout)).toEqual([['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], ['my-app', '0/3', '3', '0', '<age>']]);
    expect(r.stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(r.code).toBe(1);
    const y = k('get', 'pod', 'web', 'nope', '-o', 'name');
    expect(y).toMatchObject({ stdout: 'pod/web\n', stderr: 'Error from server (NotFound): pods "nope" not found\n', code: 1 });
    const single = k('get', 'pod', 'nope', '-o', 'yaml');
    expect(single).toMatchObject({ stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n', code: 1 });
  });

  it('--ignore-not-found is silent and succeeds', () => {
    expect(k('get', 'pods', 'nope', '--ignore-not-found')).toMatchObject({ stdout: '', stderr: '', code: 0 });
    expect(k('get', 'pod', 'nope', '-o', 'yaml', '--ignore-not-found')).toMatchObject({ stdout: '', stderr: '', code: 0 });
  });

  it('says when nothing is found, naming the namespace only for namespaced kinds', () => {
    expect(k('get', 'pods', '-n', 'team')).toMatchObject({ stdout: '', stderr: 'No resources found in team namespace.\n', code: 0 });
    expect(k('get', 'pv')).toMatchObject({ stdout: '', stderr: 'No resources found\n', code: 0 });
    expect(k('get', 'secrets', '-A', '-l', 'x=y')).toMatchObject({ stdout: '', stderr: 'No resources found\n', code: 0 });
  });

  it('refuses an unknown resource type', () => {
    expect(k('get', 'foo')).toMatchObject({ stdout: '', stderr: 'error: the server doesn\'t have a resource type "foo"\n', code: 1 });
    expect(k('get', 'pods,foo')).toMatchObject({ stderr: 'error: the server doesn\'t have a resource type "foo"\n', code: 1 });
  });

  it('refuses a missing resource type', () => {
    const r = k('get');
    expect(r.stderr).toBe('You must specify the type of resource to get. Use "minikctl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "minikctl explain <resource>" for a detailed description of that resource (e.g. minikctl explain pods).\nSee \'minikctl get -h\' for help and examples\n');
    expect(r.code).toBe(1);
  });

  it('accepts kind.group and kind.version.group', () => {
    for (const word of ['deployments.apps', 'deploy.v1.apps', 'deployment.apps', 'Deployment', 'deployments.v1.apps']) {
      expect(ok(k('get', word, '-o', 'name')).stdout).toBe('deployment.apps/my-app\n');
    }
    expect(ok(k('get', 'pods.v1.', '-o', 'name')).stdout).toMatch(/^(pod\/my-app-[a-z0-9]+-[a-z0-9]{5}\n){3}pod\/web\npod\/web2\n$/);
    expect(k('get', 'deployments.batch')).toMatchObject({ stderr: 'error: the server doesn\'t have a resource type "deployments.batch"\n', code: 1 });
  });

  it('resolves every short name to its resource', () => {
    const withShort = RESOURCES.filter((r) => r.shortNames.length && r.group !== 'events.k8s.io');
    const r = k('get', ...withShort.map((ri) => `${ri.shortNames[0]}/x`));
    const expected = withShort.map((ri) => `Error from server (NotFound): ${ri.name}${ri.group ? `.${ri.group}` : ''} "x" not found\n`).join('');
    expect(r.stderr).toBe(expected);
    expect(r.code).toBe(1);
    // and the kinds kubectl gives short names to are all there
    expect(withShort.map((ri) => ri.shortNames[0]).sort()).toEqual(
      ['cj', 'cm', 'cs', 'deploy', 'ds', 'ep', 'ev', 'hpa', 'ing', 'limits', 'netpol', 'no', 'ns', 'pc', 'pdb', 'po', 'pv', 'pvc', 'quota', 'rc', 'rs', 'sa', 'sc', 'sts', 'svc'].sort(),
    );
  });
});

describe('describe', () => {
  it('describes a deployment in describe-deploy.txt\'s layout', () => {
    const r = ok(k('describe', 'deployment', 'my-app'));
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual(['Name:                   my-app', 'Namespace:              default']);
    expect(lines).toContain('Selector:               app=my-app');
    expect(lines).toContain('StrategyType:           RollingUpdate');
    expect(lines).toContain('RollingUpdateStrategy:  25% max unavailable, 25% max surge');
    expect(lines).toContain('Pod Template:');
  });

  it('describes every pod whose name starts with the given prefix', () => {
    const r = ok(k('describe', 'pods', 'we'));
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Name:'))).toEqual(['Name:             web', 'Name:             web2']);
    // two descriptions are separated by a blank line pair, as kubectl joins them
    expect(r.stdout).toMatch(/\n\n\nName: {13}web2\n/);
    // only a name that matches nothing exactly falls back to the prefix
    expect(ok(k('describe', 'pod', 'web')).stdout.split('\n').filter((l) => l.startsWith('Name:'))).toEqual(['Name:             web']);
    expect(ok(k('describe', 'pod', 'web2')).stdout.split('\n').filter((l) => l.startsWith('Name:'))).toEqual(['Name:             web2']);
  });

  it('describes a namespace', () => {
    expect(ok(k('describe', 'ns', 'team')).stdout).toBe(
      'Name:         team\nLabels:       kubernetes.io/metadata.name=team\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n',
    );
  });

  it('reports what it cannot find', () => {
    expect(k('describe', 'pod', 'nope')).toMatchObject({ stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n', code: 1 });
    expect(k('describe', 'pods', '-n', 'team')).toMatchObject({ stdout: '', stderr: 'No resources found in team namespace.\n', code: 0 });
    expect(k('describe', 'foo', 'x')).toMatchObject({ stderr: 'error: the server doesn\'t have a resource type "foo"\n', code: 1 });
  });
});

describe('explain', () => {
  it('explains a field', () => {
    const r = ok(k('explain', 'deployment.spec.replicas'));
    expect(r.stdout.startsWith('GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n')).toBe(true);
  });

  it('--recursive lists nested fields', () => {
    const r = ok(k('explain', 'deploy.spec.strategy', '--recursive'));
    expect(r.stdout).toContain('FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n');
  });

  it('refuses a field that does not exist', () => {
    const r = k('explain', 'deployment.spec.nope');
    expect(r.stderr).toBe('error: field "nope" does not exist\n');
    expect(r.code).toBe(1);
    expect(k('explain', 'foo')).toMatchObject({ stderr: 'error: the server doesn\'t have a resource type "foo"\n', code: 1 });
  });
});

