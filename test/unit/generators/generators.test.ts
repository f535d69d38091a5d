import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGenerators, expose, GeneratorError, jobFromCronJob, objectName, runGenerator } from '../../../src/client/generators/index.js';
import type { GeneratorEnv, GeneratorSpec } from '../../../src/client/generators/types.js';
import { toJson } from '../../../src/printers/json.js';
import { toYaml } from '../../../src/printers/yaml.js';

const hasKubectl = spawnSync('kubectl', ['version', '--client']).status === 0;

// Fixture files for --from-file / --from-env-file, referenced relative to this dir.
const dir = mkdtempSync(join(tmpdir(), 'gen-'));
mkdirSync(join(dir, 'conf/sub'), { recursive: true });
writeFileSync(join(dir, 'conf/app.properties'), 'a=1\nb=2\n');
writeFileSync(join(dir, 'conf/b'), 'x\ny');
writeFileSync(join(dir, 'conf/sub/ignored'), 'z');
writeFileSync(join(dir, 'bin'), Buffer.from([0xff, 0xfe, 0x00]));
writeFileSync(join(dir, 'app.env'), '# comment\nA=1\n  B=  two  \n\nC=x=y\n');
writeFileSync(join(dir, 'html'), '<b>&amp;</b>\n');

const env: GeneratorEnv = {
  readFile: (p) => readFileSync(join(dir, p)),
  listDir: (p) => readdirSync(join(dir, p)),
  isDir: (p) => {
    try {
      return statSync(join(dir, p)).isDirectory();
    } catch {
      return false;
    }
  },
  randomString: (n) => 'x'.repeat(n),
};

const camel = (s: string): string => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Turn kubectl argv (after `create`) into generator + args + opts, as the CLI would. */
function parse(argv: string[]): { gen: GeneratorSpec; args: string[]; opts: Record<string, any>; ns?: string } {
  let rest = argv;
  let gen = createGenerators.find((g) => g.name === `${argv[0]} ${argv[1]}`);
  if (gen) rest = argv.slice(2);
  else {
    gen = createGenerators.find((g) => g.name === argv[0] || g.aliases.includes(argv[0]))!;
    rest = argv.slice(1);
  }
  const opts: Record<string, any> = {};
  const names: string[] = [];
  let after: string[] = [];
  let ns: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--') {
      after = rest.slice(i + 1);
      break;
    }
    if (a.startsWith('-n=')) ns = a.slice(3);
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = camel(eq >= 0 ? a.slice(2, eq) : a.slice(2));
      const val = eq >= 0 ? a.slice(eq + 1) : true;
      const spec = gen.flags.find((f) => f.flags.includes(`--${eq >= 0 ? a.slice(2, eq) : a.slice(2)} `) || f.flags.endsWith(`--${a.slice(2)}`));
      opts[key] = spec?.repeatable ? [...(opts[key] ?? []), val] : val;
    } else names.push(a);
  }
  opts.argsBeforeDash = names.length;
  return { gen, args: [...names, ...after], opts, ns };
}

function kubectl(argv: string[], output: string): { out: string; err: string; status: number | null } {
  const dash = argv.indexOf('--');
  const full = dash >= 0 ? [...argv.slice(0, dash), '--dry-run=client', '-o', output, ...argv.slice(dash)] : [...argv, '--dry-run=client', '-o', output];
  const r = spawnSync('kubectl', ['create', ...full.map((a) => (a.startsWith('-n=') ? `--namespace=${a.slice(3)}` : a))], { cwd: dir, encoding: 'utf8' });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

function generate(argv: string[]): any {
  const { gen, args, opts, ns } = parse(argv);
  return gen.generate(args, opts, { ...env, namespace: ns });
}

const CASES: string[][] = [
  ['deployment', 'web', '--image=nginx'],
  ['deployment', 'web', '--image=nginx', '-n=prod'],
  ['deployment', 'web', '--image=nginx', '--image=busybox:1.36', '--replicas=3', '--port=8080'],
  ['deployment', 'web', '--image=registry.io:5000/team/busybox@sha256:abc', '--port=80', '--', 'sleep', '3600'],
  ['deploy', 'web', '--image=nginx,redis'],
  ['service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443'],
  ['service', 'clusterip', 'svc', '--clusterip=None'],
  ['service', 'clusterip', 'svc', '--tcp=80:http', '-n=foo'],
  ['service', 'nodeport', 'svc', '--tcp=80:8080', '--node-port=30080'],
  ['service', 'loadbalancer', 'svc', '--tcp=5678:8080'],
  ['service', 'externalname', 'svc', '--external-name=example.com'],
  ['service', 'externalname', 'svc', '--external-name=example.com', '--tcp=80'],
  ['configmap', 'cm', '--from-literal=a=1', '--from-literal=b=true', '--from-literal=c=', '--from-literal=d=a: b'],
  ['configmap', 'cm', '--from-file=conf'],
  ['configmap', 'cm', '--from-file=conf/b', '--from-file=key=conf/app.properties', '--from-literal=z=1.0'],
  ['configmap', 'cm', '--from-file=bin', '--from-literal=t=x'],
  ['configmap', 'cm', '--from-env-file=app.env'],
  ['configmap', 'cm', '--from-file=conf', '--append-hash'],
  ['configmap', 'cm', '--from-file=html', '--append-hash'],
  ['configmap', 'cm'],
  ['cm', 'cm', '--from-literal=multi=line1\nline2\n', '-n=ns1'],
  ['secret', 'generic', 's', '--from-literal=user=admin', '--from-literal=pass=s3cr=t'],
  ['secret', 'generic', 's', '--from-file=conf', '--type=Opaque', '--append-hash'],
  ['secret', 'generic', 's', '--from-env-file=app.env', '--append-hash'],
  ['secret', 'generic', 's'],
  ['secret', 'docker-registry', 'r', '--docker-username=u', '--docker-password=p'],
  ['secret', 'docker-registry', 'r', '--docker-username=u', '--docker-password=p&<>', '--docker-email=a@b.c', '--docker-server=reg.io', '--append-hash'],
  ['namespace', 'team-a'],
  ['serviceaccount', 'builder', '-n=ci'],
  ['clusterrole', 'logs', '--verb=get', '--verb=head', '--non-resource-url=/logs/*', '--non-resource-url=/healthz'],
  ['clusterrole', 'agg', '--aggregation-rule=rbac.example.com/aggregate-to-view=true,b=c'],
  ['rolebinding', 'rb', '--role=reader', '--user=alice', '--user=bob', '--group=devs', '--serviceaccount=ns:sa'],
  ['rolebinding', 'rb', '--clusterrole=view', '-n=team'],
  ['clusterrolebinding', 'crb', '--clusterrole=cluster-admin', '--serviceaccount=kube-system:default'],
  ['job', 'j', '--image=busybox'],
  ['job', 'j', '--image=busybox', '--', 'echo', 'hello world'],
  ['cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *'],
  ['cronjob', 'cj', '--image=busybox', '--schedule=0 0 * * *', '--restart=Never', '--', 'date'],
  ['quota', 'q', '--hard=pods=10,services=5,cpu=2', '--scopes=BestEffort,NotTerminating'],
  ['quota', 'q'],
  ['poddisruptionbudget', 'p', '--selector=app=web,tier=fe', '--min-available=2'],
  ['pdb', 'p', '--selector=app=web', '--max-unavailable=25%'],
  ['priorityclass', 'high', '--value=1000000', '--description=For critical pods', '--global-default'],
  ['priorityclass', 'low', '--preemption-policy=Never'],
  ['ingress', 'ing', '--rule=foo.com/bar=svc1:8080,tls=my-cert', '--rule=foo.com/*=svc2:http,tls=my-cert', '--rule=bar.com/=svc3:80,tls'],
  ['ingress', 'ing', '--default-backend=def:80', '--class=nginx', '--annotation=b=2', '--annotation=a=1'],
  ['ingress', 'ing', '--rule=/path*=svc:80'],
];

describe.skipIf(!hasKubectl)('generators match kubectl create --dry-run=client (needs kubectl)', () => {
  for (const argv of CASES) {
    it(`create ${argv.join(' ')}`, () => {
      const obj = generate(argv);
      expect(toJson(obj)).toBe(kubectl(argv, 'json').out);
      expect(toYaml(obj)).toBe(kubectl(argv, 'yaml').out);
      expect(objectName(obj) + '\n').toBe(kubectl(argv, 'name').out);
    });
  }
});

const ERROR_CASES: string[][] = [
  ['deployment', 'web'],
  ['deployment', '--image=nginx'],
  ['deployment', 'a', 'b', '--image=nginx'],
  ['deployment', 'web', '--image=nginx', '--image=redis', '--', 'sleep'],
  ['service', 'clusterip', 'svc'],
  ['service', 'clusterip', 'svc', '--tcp=abc'],
  ['service', 'externalname', 'svc', '--external-name=Bad_Name'],
  ['configmap', 'cm', '--from-literal=a b=1'],
  ['configmap', 'cm', '--from-literal=a'],
  ['configmap', 'cm', '--from-literal=a=1', '--from-literal=a=2'],
  ['configmap', 'cm', '--from-file=missing'],
  ['configmap', 'cm', '--from-file=k=conf'],
  ['configmap', 'cm', '--from-env-file=app.env', '--from-literal=a=1'],
  ['secret', 'generic', 's', '--from-literal=a=1', '--from-literal=a=2'],
  ['secret', 'docker-registry', 'r'],
  ['secret', 'tls', 't'],
  ['namespace'],
  ['rolebinding', 'rb'],
  ['job', 'j'],
  ['quota', 'q', '--hard=cpu'],
  ['pdb', 'p', '--min-available=1'],
  ['pdb', 'p', '--selector=a=b'],
  ['ingress', 'ing', '--rule=foo'],
  ['ingress', 'ing'],
];

describe.skipIf(!hasKubectl)('generator errors match kubectl (needs kubectl)', () => {
  for (const argv of ERROR_CASES) {
    it(`create ${argv.join(' ')}`, () => {
      const k = kubectl(argv, 'yaml');
      expect(k.status).not.toBe(0);
      let err: unknown;
      try {
        generate(argv);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GeneratorError);
      const ge = err as GeneratorError;
      // kubectl reports missing required flags through klog ("E1123 ... command failed err=...").
      const kErr = k.err.includes('command failed') ? `error: ${/err="(.*)"/.exec(k.err)![1].replace(/\\"/g, '"')}` : k.err.split('\n')[0];
      expect(ge.message).toBe(kErr);
      if (ge.seeHelp) expect(k.err).toContain(`See 'kubectl ${ge.seeHelp} -h' for help and examples`);
    });
  }
});

describe('generators without kubectl (golden)', () => {
  it('deployment puts -n in metadata and builds the pod template', () => {
    const d = generate(['deployment', 'web', '--image=nginx', '-n=prod']);
    expect(toYaml(d)).toBe(`apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
  namespace: prod
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
`);
  });

  it('container names from images with dots get a suffix', () => {
    const d = generate(['deployment', 'x', '--image=my.reg/foo_bar.baz:1']);
    expect(d.spec.template.spec.containers[0].name).toBe('foo-bar-baz-xxxxx');
  });

  it('append-hash names are stable content hashes', () => {
    expect(generate(['configmap', 'c', '--from-file=conf', '--append-hash']).metadata.name).toMatch(/^c-[a-z0-9]{10}$/);
    expect(generate(['secret', 'generic', 's', '--from-literal=a=1', '--type=foo', '--append-hash']).metadata.name).toBe('s-74597m7f4h');
  });

  it('role groups resources per API group, sorted, with resource names', () => {
    const r = generate(['role', 'r', '--verb=get,list', '--verb=watch', '--resource=pods,deployments.apps,rs', '--resource=pods/log', '--resource-name=a']);
    expect(r.rules).toEqual([
      { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods', 'pods/log'], resourceNames: ['a'] },
      { verbs: ['get', 'list', 'watch'], apiGroups: ['apps'], resources: ['deployments', 'replicasets'], resourceNames: ['a'] },
    ]);
    expect(Object.keys(r)).toEqual(['kind', 'apiVersion', 'metadata', 'rules']);
    expect(() => generate(['role', 'r', '--resource=pods'])).toThrow('error: at least one verb must be specified');
    expect(() => generate(['role', 'r', '--verb=fly', '--resource=pods'])).toThrow("error: invalid verb: 'fly'");
  });

  it('run builds a pod with args, env, labels and restart policy', () => {
    const pod = runGenerator.generate(['p', 'a1', 'a2'], { image: 'nginx', port: '80', env: ['A=1'], labels: 'x=y', restart: 'Never', imagePullPolicy: 'IfNotPresent', privileged: true, argsBeforeDash: 1 }, env);
    expect(toYaml(pod)).toBe(`apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    x: "y"
  name: p
spec:
  containers:
  - args:
    - a1
    - a2
    env:
    - name: A
      value: "1"
    image: nginx
    imagePullPolicy: IfNotPresent
    name: p
    ports:
    - containerPort: 80
    resources: {}
    securityContext:
      privileged: true
  dnsPolicy: ClusterFirst
  restartPolicy: Never
status: {}
`);
    const cmd = runGenerator.generate(['p', 'sh', '-c', 'x'], { image: 'busybox', command: true, argsBeforeDash: 1 }, env);
    expect(cmd.spec.containers[0].command).toEqual(['sh', '-c', 'x']);
    expect(cmd.metadata.labels).toEqual({ run: 'p' });
    expect(() => runGenerator.generate(['p'], { image: 'x', restart: 'Bad' }, env)).toThrow('error: invalid restart policy: Bad');
  });

  it('expose copies selector, ports and labels from a deployment', () => {
    const dep = generate(['deployment', 'web', '--image=nginx', '--port=80']);
    const svc = expose(dep, { targetPort: '8080', type: 'NodePort' });
    expect(toJson(svc)).toBe(`{
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {
        "name": "web",
        "creationTimestamp": null,
        "labels": {
            "app": "web"
        }
    },
    "spec": {
        "ports": [
            {
                "protocol": "TCP",
                "port": 80,
                "targetPort": 8080
            }
        ],
        "selector": {
            "app": "web"
        },
        "type": "NodePort"
    },
    "status": {
        "loadBalancer": {}
    }
}
`);
    expect(() => expose(generate(['deployment', 'web', '--image=nginx']), {})).toThrow("couldn't find port");
    const two = expose({ kind: 'Pod', metadata: { name: 'p', labels: { run: 'p' } }, spec: { containers: [{ ports: [{ containerPort: 80 }, { containerPort: 443, protocol: 'UDP' }] }] } }, { name: 'svc' });
    expect(two.spec.ports.map((p: any) => p.name)).toEqual(['port-1', 'port-2']);
    expect(two.spec.ports[1].protocol).toBe('UDP');
  });

  it('job --from=cronjob copies the template and marks it manual', () => {
    const cj = generate(['cronjob', 'nightly', '--image=busybox', '--schedule=0 0 * * *']);
    cj.metadata.uid = 'u-1';
    const job = jobFromCronJob('manual-1', cj);
    expect(job).toMatchObject({
      kind: 'Job',
      metadata: { name: 'manual-1', annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' }, ownerReferences: [{ kind: 'CronJob', name: 'nightly', uid: 'u-1', controller: true }] },
      spec: { template: { spec: { restartPolicy: 'OnFailure' } } },
    });
  });

  it('-o name uses the group', () => {
    expect(objectName(generate(['deployment', 'x', '--image=nginx']))).toBe('deployment.apps/x');
    expect(objectName(generate(['namespace', 'x']))).toBe('namespace/x');
  });
});
