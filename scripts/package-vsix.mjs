#!/usr/bin/env node
// Packages the extension as one .vsix per platform (`vsce package --target`), each with
// the esbuild binary of its own platform: the extension builds the user's program with
// esbuild's JS API, which runs the native binary from `@esbuild/<platform>`.
//
//   node scripts/package-vsix.mjs                 this machine's platform → dist/async-trace-<target>.vsix
//                                                 (also copied to dist/async-trace.vsix)
//   node scripts/package-vsix.mjs --target T,...  those VS Code targets
//   node scripts/package-vsix.mjs --all           every target esbuild ships a binary for
//
// Each target is staged in a temp folder: the production bundles, the docs, a manifest
// without npm's `files` (vsce refuses `files` beside .vscodeignore; the npm package needs
// `files`), and node_modules holding exactly what the extension loads at run time. The
// target's binary comes from `npm pack @esbuild/<pkg>@<the installed esbuild's version>`
// (the npm cache or the registry), so any machine can package every target.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** VS Code target → esbuild's platform package. Alpine runs esbuild's static Linux binaries. */
export const targets = {
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'linux-armhf': 'linux-arm',
  'alpine-x64': 'linux-x64',
  'alpine-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
};

export function hostTarget() {
  const arch = process.arch === 'arm' ? 'armhf' : process.arch;
  const t = `${process.platform}-${arch}`;
  if (!targets[t]) throw new Error(`no esbuild binary for this machine (${t}); pass --target with one of ${Object.keys(targets).join(', ')}`);
  return t;
}

function fail(message) {
  console.error(`package-vsix: ${message}`);
  process.exit(1);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}`);
}

/** Fetches `@esbuild/<pkg>@<version>` with npm pack and unpacks it into `dest`. */
function fetchEsbuildBinary(pkg, version, dest, scratch) {
  const spec = `@esbuild/${pkg}@${version}`;
  const out = path.join(scratch, 'tgz', pkg);
  mkdirSync(out, { recursive: true });
  const r = spawnSync(npm, ['pack', spec, '--pack-destination', out, '--silent'], { encoding: 'utf8' });
  const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'));
  if (r.status !== 0 || !tgz) fail(`npm pack ${spec} failed (needs the npm cache or the registry):\n${r.stderr}`);
  mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(out, tgz), '-C', dest, '--strip-components=1']);
}

/** The files the extension needs at run time, laid out as the .vsix will hold them. */
function stage(target, scratch) {
  const dir = path.join(scratch, target);
  mkdirSync(dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  delete manifest.files;
  delete manifest.scripts;
  delete manifest.devDependencies;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore']) copyFileSync(path.join(root, f), path.join(dir, f));
  for (const d of ['dist/extension', 'dist/webview', 'dist/runtime', 'docs']) cpSync(path.join(root, d), path.join(dir, d), { recursive: true });
  const nm = path.join(dir, 'node_modules');
  const local = (p) => path.join(root, 'node_modules', p);
  // esbuild's JS API (not its bin/, which npm's install replaced by this machine's binary).
  for (const f of ['package.json', 'LICENSE.md', 'lib']) cpSync(local(`esbuild/${f}`), path.join(nm, 'esbuild', f), { recursive: true });
  const esbuildVersion = JSON.parse(readFileSync(local('esbuild/package.json'), 'utf8')).version;
  fetchEsbuildBinary(targets[target], esbuildVersion, path.join(nm, '@esbuild', targets[target]), scratch);
  // typescript: the site plugin's parser and the lib files it may read.
  mkdirSync(path.join(nm, 'typescript/lib'), { recursive: true });
  copyFileSync(local('typescript/package.json'), path.join(nm, 'typescript/package.json'));
  for (const f of readdirSync(local('typescript/lib'))) {
    if (f === 'typescript.js' || /^lib\..*\.d\.ts$/.test(f)) copyFileSync(local(`typescript/lib/${f}`), path.join(nm, 'typescript/lib', f));
  }
  cpSync(local('source-map'), path.join(nm, 'source-map'), { recursive: true });
  return dir;
}

function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--target');
  const wanted = args.includes('--all') ? Object.keys(targets) : at >= 0 ? args[at + 1].split(',') : [hostTarget()];
  for (const t of wanted) if (!targets[t]) fail(`unknown target ${t}; one of ${Object.keys(targets).join(', ')}`);
  run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production'], root);
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'atrace-vsix-'));
  try {
    for (const t of wanted) {
      const dir = stage(t, scratch);
      const out = path.join(root, 'dist', `async-trace-${t}.vsix`);
      run(process.execPath, [vsce, 'package', '--target', t, '--no-rewrite-relative-links', '--allow-missing-repository', '-o', out], dir);
      if (wanted.length === 1) copyFileSync(out, path.join(root, 'dist/async-trace.vsix'));
      console.log(`${t}: ${path.relative(root, out)} (esbuild binary @esbuild/${targets[t]})`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
