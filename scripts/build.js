/**
 * Compiles the project's TypeScript into bin/ so that `npm run plan`, `npm run bench` and `pulumi preview`/`up` start
 * from JavaScript instead of transpiling about a hundred files on every run. Each file is transpiled on its own
 * (`ts.transpileModule`, as ts-node --transpile-only and ts-jest with isolatedModules do), with tsconfig.json's
 * compiler options; types are checked by `npm test`, not here.
 *
 * bin/.build-manifest.json records each source's SHA-256. `ensureBuilt()` hashes the sources again (a few
 * milliseconds, and typescript is not even loaded), recompiles the files that changed and removes the output of
 * deleted ones, so a build older than its sources never runs; every entry point calls it first.
 *
 *   node scripts/build.js      (npm run build; npm's `prepare` runs it on `npm ci`)
 */
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const MANIFEST = ".build-manifest.json";
/** Everything the entry points reach: the program, the plan command, the policy rules it applies, the benchmarks. */
const SOURCES = ["index.ts", "stacks", "components", "policies/rules", "bench"];

/** Source files, relative to the project root with "/" separators, sorted. */
function sourceFiles(root) {
  const files = [];
  const walk = (rel) => {
    const full = path.join(root, rel);
    if (!fs.existsSync(full)) return;
    if (!fs.statSync(full).isDirectory()) return void files.push(rel);
    for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) files.push(child);
    }
  };
  SOURCES.forEach(walk);
  return files.sort();
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");

/** What every output depends on besides its own source: the compiler's version and the compiler options. */
function toolchainKey(root) {
  const typescript = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")).version;
  return sha256(`${typescript}\n${fs.readFileSync(path.join(root, "tsconfig.json"), "utf8")}`);
}

function readManifest(out) {
  try {
    return JSON.parse(fs.readFileSync(path.join(out, MANIFEST), "utf8"));
  } catch {
    return { toolchain: "", files: {} };
  }
}

/** Writes via a temporary file and a rename, so a concurrent run never reads half a file. */
function writeAtomically(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/**
 * Brings `<root>/bin` up to date with the sources and returns what it did. Compiles nothing when nothing changed.
 * @param {string} [root] the project directory; default this project
 * @returns {{ compiled: string[], removed: string[], files: number }}
 */
function ensureBuilt(root = ROOT) {
  const out = path.join(root, "bin");
  const outputOf = (source) => path.join(out, source.replace(/\.ts$/, ".js"));
  const toolchain = toolchainKey(root);
  const manifest = readManifest(out);
  const previous = manifest.toolchain === toolchain ? manifest.files : {};
  const sources = new Map(sourceFiles(root).map((file) => [file, fs.readFileSync(path.join(root, file), "utf8")]));
  const hashes = Object.fromEntries([...sources].map(([file, text]) => [file, sha256(text)]));
  const compiled = [...sources.keys()].filter((file) => previous[file] !== hashes[file] || !fs.existsSync(outputOf(file)));
  const removed = Object.keys(manifest.files).filter((file) => !sources.has(file));
  if (compiled.length === 0 && removed.length === 0 && manifest.toolchain === toolchain) return { compiled, removed, files: sources.size };

  try {
    if (compiled.length > 0) {
      const ts = require("typescript");
      const { config, error } = ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile);
      if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
      const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
      for (const file of compiled) {
        const { outputText } = ts.transpileModule(sources.get(file), { compilerOptions: options, fileName: file });
        writeAtomically(outputOf(file), outputText);
      }
    }
    for (const file of removed) fs.rmSync(outputOf(file), { force: true });
    writeAtomically(path.join(out, MANIFEST), `${JSON.stringify({ toolchain, files: hashes }, null, 2)}\n`);
  } catch (err) {
    throw new Error(`hybridlab: bin/ is older than the sources and could not be rebuilt: ${err.message}; run \`npm run build\``);
  }
  return { compiled, removed, files: sources.size };
}

module.exports = { ensureBuilt };

if (require.main === module) {
  const started = process.hrtime.bigint();
  const { compiled, removed, files } = ensureBuilt();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`bin/: ${compiled.length} of ${files} files compiled, ${removed.length} removed (${ms.toFixed(0)} ms)`);
}
