// The simulated registry (fixtures/images.yaml): what an image reference resolves to — its
// normalised name as containerd reports it, digest, size, default behaviour and what it prints.
// Any reference resolves: an image the catalogue does not know gets a size and digest derived from
// a hash of its reference, so a tutorial's `your-image:latest` pulls and runs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { parseQuantity, milliValue, value } from '../apiserver/quantity.js';

export interface ImageInfo {
  /** as containerd names it: docker.io/library/nginx */
  repository: string;
  /** the tag pulled (latest when none was given), or '' for a digest reference */
  tag: string;
  /** docker.io/library/nginx:1.25 */
  name: string;
  /** sha256:<64 hex> */
  digest: string;
  size: number;
  ports: number[];
  /** the main process stops promptly on SIGTERM (otherwise it runs until the grace period ends) */
  sigterm: boolean;
  /** the exit code a SIGTERM leaves: 0 for a program that shuts down cleanly (nginx), 143 (128+15)
   * for one the signal kills (a Go program without a handler, such as agnhost) */
  sigtermExit: number;
  /** a shell image: its default command is `sh`, which ends at once without a terminal */
  shell: boolean;
  /** the default command ends on its own */
  exits?: { afterMs: number; code: number };
  cpuMilli: number;
  memoryBytes: number;
  logs: string[];
  /** shipped with the node image (kind preloads the control plane's images) */
  preloaded: boolean;
  /** the registry has this reference (a known repository has a closed list of tags) */
  known: boolean;
  /** a repository the catalogue lists */
  listed: boolean;
  /** pulling needs credentials (imagePullSecrets) */
  private: boolean;
  /** the image's ENTRYPOINT, which `args` alone are given to */
  entrypoint?: string[];
}

interface Entry {
  repository: string;
  tags: Record<string, number>;
  ports?: number[];
  sigterm?: boolean;
  sigtermExit?: number;
  shell?: boolean;
  exits?: { afterMs: number; code: number };
  usage?: { cpu?: string; memory?: string };
  logs?: string;
  preloaded?: boolean;
  private?: boolean;
  entrypoint?: string[];
}



let entries: Map<string, Entry> | undefined;
let privateRegistries: string[] = [];

/** The package root: the first directory above this module with a package.json (src/ or dist/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

function load(): Map<string, Entry> {
  if (entries) return entries;
  entries = new Map();
  const file = join(packageRoot(), 'fixtures', 'images.yaml');
  const doc = existsSync(file) ? (yaml.load(readFileSync(file, 'utf8')) as { images?: Entry[]; privateRegistries?: string[] }) : {};
  privateRegistries = doc?.privateRegistries ?? [];
  for (const e of doc?.images ?? []) {
    const tags: Record<string, number> = {};
    for (const [k, v] of Object.entries(e.tags ?? {})) tags[String(k)] = Number(v);
    entries.set(parseReference(e.repository).repository, { ...e, tags });
  }
  return entries;
}

export interface Reference {
  repository: string;
  tag: string;
  digest?: string;
}

/** Docker's normalisation: `nginx` is docker.io/library/nginx:latest, `user/app` docker.io/user/app. */
export function parseReference(ref: string): Reference {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split('/')[0];
  const hasDomain = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let repository = hasDomain ? rest : `docker.io/${rest}`;
  if (!hasDomain && !rest.includes('/')) repository = `docker.io/library/${rest}`;
  if (!tag && !digest) tag = 'latest';
  return { repository, tag, digest };
}

/** kubelet's default pull policy: Always for :latest or no tag, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const r = parseReference(image);
  return !r.digest && r.tag === 'latest' ? 'Always' : 'IfNotPresent';
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const cache = new Map<string, ImageInfo>();

export function lookupImage(image: string): ImageInfo {
  const hit = cache.get(image);
  if (hit) return hit;
  const ref = parseReference(image);
  const entry = load().get(ref.repository);
  const known = !!entry && (ref.tag === '' || ref.tag in entry.tags || !!ref.digest);
  const h = sha256Hex(`${ref.repository}:${ref.tag}`);
  const size = entry?.tags[ref.tag] ?? (entry ? Math.max(...Object.values(entry.tags)) : 5_000_000 + (Number.parseInt(h.slice(0, 8), 16) % 120_000_000));
  const info: ImageInfo = {
    repository: ref.repository,
    tag: ref.tag,
    name: ref.tag ? `${ref.repository}:${ref.tag}` : `${ref.repository}@${ref.digest}`,
    digest: ref.digest ?? `sha256:${h}`,
    size,
    ports: entry?.ports ?? [],
    sigterm: entry?.sigterm ?? true,
    sigtermExit: entry?.sigtermExit ?? 0,
    shell: !!entry?.shell,
    exits: entry?.exits,
    cpuMilli: entry?.usage?.cpu ? milliValue(parseQuantity(entry.usage.cpu)) : 1,
    memoryBytes: entry?.usage?.memory ? value(parseQuantity(entry.usage.memory)) : 8 * 1024 * 1024,
    logs: entry?.logs ? entry.logs.replace(/\n$/, '').split('\n') : [],
    preloaded: !!entry?.preloaded,
    known,
    listed: !!entry,
    private: !!entry?.private || privateRegistries.some((h) => ref.repository.startsWith(`${h}/`)),
    entrypoint: entry?.entrypoint,
  };
  cache.set(image, info);
  return info;
}

/** Every tag the catalogue marks as shipped with the node image. */
export function preloadedImages(): ImageInfo[] {
  const out: ImageInfo[] = [];
  for (const e of load().values()) {
    if (!e.preloaded) continue;
    for (const tag of Object.keys(e.tags)) out.push(lookupImage(`${e.repository}:${tag}`));
  }
  return out;
}

/** the imageID containerd reports: the repository digest */
export function imageID(info: ImageInfo): string {
  return `${info.repository}@${info.digest}`;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);

/**
 * Why an image reference does not parse (distribution/reference's ParseNormalizedNamed, as the
 * kubelet's applyDefaultImageTag calls it), or undefined when it does.
 */
export function referenceError(image: string): string | undefined {
  if (/^[a-f0-9]{64}$/.test(image)) return `invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`;
  if (!REFERENCE.test(image)) {
    const ref = parseReference(image);
    const remote = ref.repository.replace(/^docker\.io\//, '');
    if (REFERENCE.test(image.toLowerCase()) && remote !== remote.toLowerCase()) return `invalid reference format: repository name (${remote}) must be lowercase`;
    return 'invalid reference format';
  }
  if (parseReference(image).repository.replace(/^[^/]*\//, '').length > 255) return 'repository name must not be more than 255 characters';
  return undefined;
}

/**
 * What containerd answers when the registry refuses a pull (the error the kubelet puts in its
 * Failed event and in the waiting message), or undefined when the pull succeeds: a tag a known
 * repository does not have is not found; a private repository without credentials is denied.
 */
export function pullError(image: string, hasCredentials: boolean): string | undefined {
  const info = lookupImage(image);
  const name = info.name;
  const prefix = `failed to pull and unpack image "${name}": failed to resolve reference "${name}"`;
  if (info.private && !hasCredentials) {
    if (info.repository.startsWith('docker.io/')) {
      return `rpc error: code = Unknown desc = ${prefix}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
    }
    return `rpc error: code = Unknown desc = ${prefix}: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${info.repository.split('/')[0]}/token?scope=repository%3A${info.repository.split('/').slice(1).join('%2F')}%3Apull: 401 Unauthorized`;
  }
  if (info.listed && !info.known) return `rpc error: code = NotFound desc = ${prefix}: ${name}: not found`;
  return undefined;
}
