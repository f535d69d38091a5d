// Bundles the CLI into dist/ with esbuild. Code splitting keeps heavy modules (ajv validators,
// ora, chalk, describe printers) in chunks that load only when a command needs them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minifySyntax: true,
  logLevel: 'warning',
  // CommonJS dependencies bundled into ESM need a require() for Node's built-ins.
  banner: { js: "import { createRequire as __mkRequire } from 'node:module'; const require = __mkRequire(import.meta.url);" },
});
