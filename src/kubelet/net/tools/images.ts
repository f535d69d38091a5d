// Which programs an image ships, and which shell runs `sh -c`: `kubectl exec nginx -- wget` fails
// as it does on a real cluster (the Debian-based nginx image has curl, not wget), busybox has
// wget/nc/ping/nslookup but no curl, kube-proxy's distroless image has iptables-save and little else.
import { lookupImage } from '../../catalogue.js';

export interface Userland {
  /** the shell behind `sh`: busybox ash, Debian's dash, bash; none for distroless images */
  shell: 'ash' | 'dash' | 'bash' | 'none';
  /** the network programs it has (besides the shell's builtins and coreutils) */
  programs: Set<string>;
  /** busybox applets print busybox's texts */
  busybox: boolean;
  /** which netcat: busybox's, or OpenBSD's (Debian's netcat-openbsd) */
  nc: 'busybox' | 'openbsd';
  /** which ping: busybox's, or iputils' */
  ping: 'busybox' | 'iputils';
}

/** the programs this model runs (any other program is the process interpreter's business) */
export const NET_PROGRAMS = new Set(['wget', 'curl', 'nc', 'ping', 'nslookup', 'dig', 'host', 'iptables-save', 'ipvsadm', 'hostname']);

const BUSYBOX_APPLETS = ['wget', 'nc', 'ping', 'nslookup', 'hostname'];

const set = (...xs: string[]) => new Set(xs);

const busybox = (extra: string[] = []): Userland => ({ shell: 'ash', programs: set(...BUSYBOX_APPLETS, ...extra), busybox: true, nc: 'busybox', ping: 'busybox' });
const debian = (extra: string[] = []): Userland => ({ shell: 'dash', programs: set('hostname', ...extra), busybox: false, nc: 'openbsd', ping: 'iputils' });
const distroless = (extra: string[] = []): Userland => ({ shell: 'none', programs: set(...extra), busybox: false, nc: 'openbsd', ping: 'iputils' });

/** repository (as containerd names it) → its userland; the first match wins */
const TABLE: [RegExp, (tag: string) => Userland][] = [
  [/(^|\/)(busybox)$/, () => busybox()],
  [/\/curlimages\/curl$/, () => busybox(['curl'])],
  [/(^|\/)alpine$/, () => busybox()],
  // nginx: Debian (curl, no wget/ping/nslookup); its alpine variant has busybox and curl
  [/(^|\/)nginx(-slim)?$/, (tag) => (/alpine/.test(tag) ? busybox(['curl']) : debian(['curl']))],
  [/(^|\/)(httpd|redis|mysql|postgres|wordpress|debian|ubuntu|perl)$/, (tag) => (/alpine/.test(tag) ? busybox() : debian())],
  // the guestbook frontend is php:5-apache (Debian jessie), which keeps curl
  [/\/gb-frontend$/, () => debian(['curl'])],
  [/(dnsutils|dnstools)$/, () => debian(['dig', 'nslookup', 'host', 'ping'])],
  [/netshoot$/, () => ({ shell: 'bash', programs: set('curl', 'wget', 'nc', 'ping', 'nslookup', 'dig', 'host', 'hostname', 'iptables-save', 'iptables', 'ipvsadm'), busybox: false, nc: 'openbsd', ping: 'iputils' })],
  // distroless-iptables: iptables' wrapper scripts need a shell
  [/\/kube-proxy$/, () => ({ ...distroless(['iptables-save', 'iptables', 'ipvsadm']), shell: 'dash' })],
  [/\/(coredns|pause|etcd|kube-apiserver|kube-controller-manager|kube-scheduler|kindnetd|local-path-provisioner)$/, () => distroless()],
  [/\/agnhost$/, () => busybox()],
];

/**
 * The userland of an image. An image the table does not know is taken for a small Linux with a
 * busybox-like shell and the common tools (curl included), so a tutorial's own image can be used.
 */
export function userlandOf(image: string): Userland {
  const info = lookupImage(image);
  for (const [re, make] of TABLE) if (re.test(info.repository)) return make(info.tag);
  return busybox(['curl']);
}

/** the program an argv runs, as its name (a path's last part) */
export const progName = (argv0: string) => argv0.split('/').pop() ?? argv0;

/** whether the image has the program (shells included; programs this model does not track are assumed present) */
export function hasProgram(image: string, prog: string): boolean {
  const u = userlandOf(image);
  if (['sh', 'ash', 'bash', 'dash'].includes(prog)) return u.shell !== 'none' && (prog !== 'bash' || u.shell === 'bash' || !u.busybox);
  if (NET_PROGRAMS.has(prog)) return u.programs.has(prog);
  // distroless images have nothing but their own binary
  if (u.shell === 'none') return false;
  return true;
}

/** what the image's shell says when a script names a program it does not have (exit 127) */
export function notFound(image: string, prog: string): string {
  const u = userlandOf(image);
  if (u.shell === 'dash') return `sh: 1: ${prog}: not found`;
  if (u.shell === 'bash') return `bash: line 1: ${prog}: command not found`;
  return `sh: ${prog}: not found`;
}
