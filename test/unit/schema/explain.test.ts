import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { explain, ExplainError, splitExplainArg } from '../../../src/printers/explain.js';
import { RESOURCES, resolveResource } from '../../../src/apiserver/resources.js';

// The golden files are real `kubectl explain` (v1.32) output, captured against a loopback stub
// apiserver that served the same structural spec (converted to OpenAPI v3) minikctl generates from.
const golden = (name: string) => readFileSync(new URL(`./golden/${name}.txt`, import.meta.url), 'utf8');

function run(arg: string, recursive = false): string {
  const { resource, fieldPath } = splitExplainArg(arg);
  const ri = resolveResource(resource);
  if (!ri) throw new Error(`unknown resource ${resource}`);
  return explain(ri, fieldPath, { recursive });
}

describe('kubectl explain output', () => {
  it.each([
    ['deployment', false, 'deployment'],
    ['deployment.spec.replicas', false, 'deployment.spec.replicas'],
    ['deployment.spec.strategy.rollingUpdate.maxSurge', false, 'deployment.spec.strategy.rollingUpdate.maxSurge'],
    ['deployment.spec.template.spec.containers', true, 'deployment.spec.template.spec.containers-recursive'],
    ['pod.spec.containers.resources.limits', false, 'pod.spec.containers.resources.limits'],
    ['pod.metadata.labels', false, 'pod.metadata.labels'],
    ['pods', true, 'pods-recursive'],
    ['pod.spec', false, 'pod.spec'],
  ])('%s (recursive=%s) matches kubectl', (arg, recursive, name) => {
    expect(run(arg, recursive)).toBe(golden(name));
  });

  it('shows the field line, type guesses and -required- markers', () => {
    const out = run('deployment.spec');
    expect(out).toContain('FIELD: spec <DeploymentSpec>\n\n\nDESCRIPTION:\n    <empty>\nFIELDS:\n');
    expect(out).toContain('  selector\t<LabelSelector> -required-\n    <no description>\n\n');
    expect(out).toContain('  template\t<PodTemplateSpec> -required-\n');
    expect(run('pod.spec.containers')).toContain('FIELD: containers <[]Container>\n');
    expect(run('pod.spec.containers')).toContain('  name\t<string> -required-\n');
  });

  it('core kinds have no GROUP line; grouped kinds do', () => {
    expect(run('svc').startsWith('KIND:       Service\nVERSION:    v1\n\n')).toBe(true);
    expect(run('cronjobs').startsWith('GROUP:      batch\nKIND:       CronJob\nVERSION:    v1\n\n')).toBe(true);
  });

  it('an unknown field names the last path element and carries the header kubectl already printed', () => {
    let err: unknown;
    try { run('deployment.spec.foo.bar'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ExplainError);
    expect((err as ExplainError).message).toBe('error: field "bar" does not exist');
    expect((err as ExplainError).stdout).toBe('GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n');
    expect(() => run('deployment.spec.replicas.x')).toThrow('error: field "x" does not exist');
  });

  it('has explain data for every served kind', () => {
    for (const ri of RESOURCES) {
      expect(explain(ri, [], { recursive: false }), ri.kind).toMatch(/DESCRIPTION:\n {4}<empty>\nFIELDS:\n[^]*^ {2}apiVersion\t<string>\n/m);
    }
  });
});
