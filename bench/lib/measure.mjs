// Runs a command under GNU time: wall clock, peak RSS of the largest process, CPU seconds.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * @typedef {{ wallMs: number, rssMb: number, cpuS: number, code: number | null, stdout: string, stderr: string }} Sample
 */

/**
 * Runs `command args` to its end under /usr/bin/time. Peak RSS is the largest single process
 * among those waited for (GNU time's %M), CPU is user + system of the whole tree waited for.
 * @returns {Promise<Sample>}
 */
export async function measure(command, args, { cwd, env, input } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const out = join(dir, 'time');
  const started = process.hrtime.bigint();
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', out, command, ...args], {
    cwd,
    env: env ?? process.env,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin.end(input);
  const stdout = [];
  const stderr = [];
  child.stdout.on('data', (d) => stdout.push(d));
  child.stderr.on('data', (d) => stderr.push(d));
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const [rssKb = 0, user = 0, sys = 0] = lastLine(readFileSync(out, 'utf8')).split(' ').map(Number);
  rmSync(dir, { recursive: true, force: true });
  return { wallMs, rssMb: rssKb / 1024, cpuS: user + sys, code, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
}

// time writes "Command exited with non-zero status N" before the numbers.
const lastLine = (text) => text.trim().split('\n').at(-1) ?? '';

/** Median of a non-empty list. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median, min, max of one metric over samples. */
export function summary(samples, key = 'wallMs') {
  const v = samples.map((s) => s[key]);
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

/**
 * Runs each contender once per repetition, alternating (A B C, B C A, ...), so that a slow
 * moment of the machine hits all of them alike. `before` runs untimed before each run; a
 * contender with `maxReps` (a slow one) runs only in the first that many repetitions.
 * @param {Array<{ name: string, run: () => Promise<Sample>, before?: () => Promise<void>, maxReps?: number }>} contenders
 * @returns {Promise<Record<string, Sample[]>>}
 */
export async function alternate(contenders, reps, log = () => {}) {
  /** @type {Record<string, Sample[]>} */
  const samples = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(rep + i) % contenders.length];
      if (c.maxReps !== undefined && rep >= c.maxReps) continue;
      if (c.before) await c.before();
      const sample = await c.run();
      samples[c.name].push(sample);
      log(`  rep ${rep + 1}/${reps} ${c.name}: ${fmtMs(sample.wallMs)} rss ${sample.rssMb.toFixed(0)} MB cpu ${sample.cpuS.toFixed(2)} s${sample.code ? ` (exit ${sample.code})` : ''}`);
      if (sample.code) log(`${sample.stdout.slice(-1500)}${sample.stderr.slice(-1500)}`);
    }
  }
  return samples;
}

export function fmtMs(ms) {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

/** "1.23 s (1.20–1.31)" */
export function fmtSummary(s, fmt = fmtMs) {
  return s.n > 1 ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median);
}
