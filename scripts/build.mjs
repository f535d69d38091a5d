// Bundles the CLI into dist/ with esbuild. Code splitting keeps heavy modules (ajv validators,
// describe printers, each verb) in chunks that load only when a command needs them. The bundle is
// built aside and swapped in whole, so a CLI running meanwhile never sees half a bundle.
import { build } from 'esbuild';
import { renameSync, rmSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const fresh = `${dist}.new-${process.pid}`;
const old = `${dist}.old-${process.pid}`;

await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: fresh,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minify: true,
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM need a require() for Node's built-ins.
  banner: { js: "import { createRequire as __mkRequire } from 'node:module'; const require = __mkRequire(import.meta.url);" },
});
if (existsSync(dist)) renameSync(dist, old);
renameSync(fresh, dist);
rmSync(old, { recursive: true, force: true });
