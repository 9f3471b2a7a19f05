#!/usr/bin/env node
// Summarises a .cpuprofile (node --cpu-prof): self time by file and by function, top N.
// node bench/profile-summary.mjs FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

const [file, top = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const deltas = profile.timeDeltas;
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));

const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
const files = new Map();
const fns = new Map();
for (const [id, us] of self) {
  const { callFrame: f } = byId.get(id);
  const url = f.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm/').replace(/.*\/dist\//, 'dist/') || `(${f.functionName || 'native'})`;
  add(files, url, us);
  add(fns, `${f.functionName || '(anon)'} ${url}:${f.lineNumber + 1}`, us);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const show = (title, map) => {
  console.log(`\n${title} (total ${(total / 1000).toFixed(0)} ms)`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
};
show('self time by file', files);
show('self time by function', fns);

// Inclusive time of functions from the project itself (dist/src), to see which phase costs.
const children = new Map(profile.nodes.map((n) => [n.id, n.children ?? []]));
const inclusive = new Map();
const walk = (id) => {
  let us = self.get(id) ?? 0;
  for (const c of children.get(id)) us += walk(c);
  const { callFrame: f } = byId.get(id);
  if (f.url.includes('/dist/src/')) add(inclusive, `${f.functionName || '(anon)'} ${f.url.replace(/.*\/dist\//, '')}:${f.lineNumber + 1}`, us);
  return us;
};
walk(profile.nodes[0].id);
show('inclusive time, project functions (recursion counted once per frame)', inclusive);
