// After `vite build`: record a hash of every input of the build next to its output, so a
// test (tests/ui/test_build.py) can tell, without Node, that the committed build is current.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const ui = new URL("..", import.meta.url).pathname;
const repo = join(ui, "..");
const out = process.env.SENTRYAPI_UI_OUT ?? join(repo, "sentryapi/ui/static");
// Keep in step with INPUTS in sentryapi/ui/build.py.
const inputs = ["ui/index.html", "ui/package.json", "ui/package-lock.json", "ui/tsconfig.json",
  "ui/vite.config.ts", "ui/src", "openapi/public.json"];

function files(path) {
  if (statSync(path).isDirectory()) {
    return readdirSync(path).sort().flatMap((name) => files(join(path, name)));
  }
  return [path];
}

function digest(paths) {
  const hash = createHash("sha256");
  for (const path of paths) {
    const name = relative(repo, path);
    if (name.endsWith(".gen.ts")) continue; // generated from openapi/public.json
    hash.update(name + "\0");
    hash.update(createHash("sha256").update(readFileSync(path)).digest("hex") + "\n");
  }
  return hash.digest("hex");
}

const sources = digest(inputs.flatMap((input) => files(join(repo, input))));
const built = files(out).filter((p) => !p.endsWith("build-info.json"))
  .map((p) => relative(out, p));
const output = Object.fromEntries(built.map((name) =>
  [name, createHash("sha256").update(readFileSync(join(out, name))).digest("hex")]));
writeFileSync(join(out, "build-info.json"),
  JSON.stringify({ sources, output }, null, 1) + "\n");
console.log(`build-info.json: sources ${sources.slice(0, 12)}, ${built.length} files`);
