// port-forward's port arithmetic, as kubectl and client-go do it.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../src/apiserver/types.js';
import { convertPodPorts, parseAddresses, parsePorts, refusedMessage, translateServicePorts } from '../../../src/cli/commands/port-forward.js';

const pod = {
  metadata: { name: 'web-1', uid: 'abc' },
  spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8000 }] }] },
} as KObject;
const svc = {
  metadata: { name: 'web' },
  spec: {
    clusterIP: '10.96.5.5',
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'admin', port: 9090, targetPort: 9091 },
      { name: 'plain', port: 7070 },
    ],
  },
} as unknown as KObject;

describe('port-forward ports', () => {
  it('parses [LOCAL:]REMOTE, :REMOTE and their errors', () => {
    expect(parsePorts(['8080', '9000:80', ':80', '0:81'])).toEqual([
      { local: 8080, remote: 8080 },
      { local: 9000, remote: 80 },
      { local: 0, remote: 80 },
      { local: 0, remote: 81 },
    ]);
    expect(() => parsePorts(['8080:0'])).toThrow('error: remote port must be > 0');
    expect(() => parsePorts(['x:80'])).toThrow(`error: error parsing local port 'x': strconv.ParseUint: parsing "x": invalid syntax`);
    expect(() => parsePorts(['8080:70000'])).toThrow(`error: error parsing remote port '70000': strconv.ParseUint: parsing "70000": value out of range`);
  });

  it('translates a service port to the pod targetPort, named ones through the pod', () => {
    expect(translateServicePorts(['8080:80', '80', ':9090', '7070', 'http'], svc, pod)).toEqual(['8080:8000', '80:8000', ':9091', '7070', '80:8000']);
    expect(() => translateServicePorts(['81'], svc, pod)).toThrow('error: Service web does not have a service port 81');
    expect(() => translateServicePorts(['https'], svc, pod)).toThrow("error: Service 'web' does not have a named port 'https'");
    const headless = { ...svc, spec: { ...svc.spec, clusterIP: 'None' } } as KObject;
    expect(translateServicePorts(['80'], headless, pod)).toEqual(['80']);
  });

  it('resolves a pod named port', () => {
    expect(convertPodPorts(['http', '9000:http', '81'], pod)).toEqual(['8000', '9000:8000', '81']);
    expect(() => convertPodPorts(['metrics'], pod)).toThrow("error: Pod 'web-1' does not have a named port 'metrics'");
    expect(() => convertPodPorts(['8080:'], pod)).toThrow('error: remote port cannot be empty');
  });

  it('localhost listens on 127.0.0.1 and ::1 (in that order); other words are refused', () => {
    expect(parseAddresses(['localhost']).map((a) => a.address)).toEqual(['127.0.0.1', '::1']);
    expect(parseAddresses(['0.0.0.0', 'localhost']).map((a) => `${a.address}/${a.failureMode}`)).toEqual(['0.0.0.0/any', '127.0.0.1/all', '::1/all']);
    expect(() => parseAddresses(['myhost'])).toThrow('error: myhost is not a valid IP');
  });

  it('says what containerd says for a port nothing listens on', () => {
    expect(refusedMessage(pod, 81)).toMatch(/^error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "\/var\/run\/netns\/cni-[0-9a-f-]{36}": failed to connect to localhost:81 inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127.0.0.1:81: connect: connection refused IPv6 dial tcp6 \[::1\]:81: connect: connection refused $/);
  });
});
