import { formatDuration } from '../runbook/duration.js';
import { ACTION_KEYS, type ActionKey } from '../runbook/raw.js';
import type { ParamSpec, Runbook, Step, StringShape } from '../runbook/types.js';

/** Inline code that survives backticks in commands; a multi-line command reads as one line with ⏎. */
function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  return flat.includes('`') ? `\`\` ${flat} \`\`` : `\`${flat}\``;
}

/** A table cell: pipes would end it. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** How a step decides it is already done, in words. */
function idempotence(step: Step): string {
  const a = step.action.args;
  if (step.action.module === 'probe') return 'read-only: always runs, changes nothing';
  if (step.action.module !== 'run') return `built into \`${step.action.module}\` (reads the host's state first)`;
  if (typeof a.check === 'string') return `${code(a.check)} exits 0`;
  if (typeof a.creates === 'string') return `${code(a.creates)} exists`;
  if (typeof a.removes === 'string') return `${code(a.removes)} is absent`;
  return '**no check: always runs**';
}

/** How a step is undone, in words. */
function undo(step: Step): string {
  const a = step.action.args;
  if (step.action.module === 'probe') return 'nothing to undo';
  if (step.action.module !== 'run') return `built into \`${step.action.module}\` (restores the state it found)`;
  if (typeof a.rollback === 'string') return code(a.rollback);
  if (typeof a.irreversible === 'string') return `**irreversible**: ${a.irreversible}`;
  return '**no rollback**';
}

/** A module step in words; the arguments an operator needs, not the module's whole input. */
function moduleAction(module: Exclude<ActionKey, 'run'>, a: Record<string, unknown>): string {
  const s = (key: string): string => code(typeof a[key] === 'string' ? a[key] : JSON.stringify(a[key] ?? ''));
  switch (module) {
    case 'service':
      return `service ${s('name')} ${String(a.state)}`;
    case 'file':
      return `path ${s('path')} made ${String(a.state)}${a.mode ? ` (mode ${String(a.mode)})` : ''}`;
    case 'copy':
      return `writes ${s('dest')}${a.mode ? ` (mode ${String(a.mode)})` : ''}; the previous content is kept for rollback`;
    case 'template':
      return `renders ${s('src')} to ${s('dest')}`;
    case 'archive':
      return `archives ${s('path')} into ${s('dest')}`;
    case 'extract':
      return `extracts ${s('src')} into ${s('dest')}`;
    case 'transfer':
      return `sends ${s('src')} to ${s('dest')} on ${s('to')}, sha256 checked`;
    case 'wait_for':
      return `waits for ${['port', 'path', 'command'].filter((k) => a[k] !== undefined).map((k) => `${k} ${s(k)}`).join(', ')}${a.state ? ` to be ${String(a.state)}` : ''}`;
    case 'assert':
      return `asserts ${(Array.isArray(a.that) ? a.that : [a.that]).map((c) => code(String(c))).join(', ')}`;
    case 'probe':
      return `reads ${code(String(a.probe))} (changes nothing)`;
    case 'catalog':
      return catalogAction(a, s);
    case 'retention':
      return `prunes the backup catalog ${s('root')} (${retentionRules(a)})`;
    default: {
      const unreachable: never = module;
      return String(unreachable);
    }
  }
}

/** `keep_last 7, daily 7, max_age 365d`: a literal max_age was parsed to ms by the loader, a template was not. */
function retentionRules(a: Record<string, unknown>): string {
  const counts = ['keep_last', 'daily', 'weekly', 'monthly'].filter((k) => a[k] !== undefined).map((k) => `${k} ${String(a[k])}`);
  const maxAge = a.max_age ?? (typeof a.maxAgeMs === 'number' ? formatDuration(a.maxAgeMs) : undefined);
  return [...counts, ...(maxAge === undefined ? [] : [`max_age ${String(maxAge)}`])].join(', ');
}

function catalogAction(a: Record<string, unknown>, s: (key: string) => string): string {
  const which = `${s('kind')} backup ${a.id === undefined ? (a.state === 'stored' ? 'of this run' : '`latest`') : s('id')}`;
  if (a.state === 'stored') return `stores what \`produce\` writes as the ${which} in ${s('root')} on ${s('storage')}, sha256 verified there, with its manifest (nothing when it equals the newest)`;
  if (a.state === 'fetched') return `fetches the ${which} from ${s('root')} on ${s('storage')} into ${s('dest')}, sha256 verified`;
  if (a.state === 'tested') return `records in ${s('root')} on ${s('storage')} that the ${which} passed a restore test${a.force === undefined ? '' : ` (a new record when ${s('force')})`}`;
  return `looks up the ${which} in ${s('root')} on ${s('storage')}${a.verify ? ', its sha256 recomputed' : ''}${a.produce ? ', and whether this host still matches it' : ''}${a.must_match ? ' (fails unless it does)' : ''}`;
}

function action(step: Step): string {
  const module = ACTION_KEYS.find((k) => k === step.action.module);
  if (module === undefined || module === 'run') return code(String(step.action.args.run));
  return moduleAction(module, step.action.args);
}

function where(step: Step): string {
  const parts = [code(step.hosts)];
  if (step.runOnce) parts.push('on the first matching host only');
  if (step.serial) parts.push(`${step.serial} host(s) at a time`);
  if (step.become) parts.push('as root (sudo -n)');
  return parts.join(', ');
}

function modifiers(step: Step): string[] {
  const out: string[] = [];
  if (step.when) out.push(`only when ${code(step.when)}`);
  if (step.loop) out.push(`for each of ${code(Array.isArray(step.loop) ? JSON.stringify(step.loop) : step.loop)}`);
  if (step.timeoutMs) out.push(`timeout ${step.timeoutMs / 1000}s`);
  if (step.retries.attempts > 1) out.push(`${step.retries.attempts} attempts, ${step.retries.delayMs / 1000}s apart`);
  if (step.confirm) out.push(`asks: "${step.confirm}"`);
  if (step.onFailure !== 'rollback') out.push(`on failure: ${step.onFailure}`);
  if (step.action.module === 'run' && typeof step.action.args.verify === 'string') out.push(`verified by ${code(step.action.args.verify)}`);
  for (const [rule, reason] of Object.entries(step.waive ?? {})) out.push(`lint waiver \`${rule}\`: ${reason}`);
  return out;
}

/** A string shape as the table shows it: the format's name (docs/runbook-format.md says what each takes) or the pattern. */
function shapeWords(shape: StringShape): string {
  const words = [
    ...(shape.format === undefined ? [] : [shape.format]),
    ...(shape.pattern === undefined ? [] : [`matching ${code(shape.pattern)}`]),
    ...(shape.minLength === undefined ? [] : [`at least ${shape.minLength} long`]),
    ...(shape.maxLength === undefined ? [] : [`at most ${shape.maxLength} long`]),
  ];
  return words.length === 0 ? '' : ` (${words.join(', ')})`;
}

function paramRow(name: string, p: ParamSpec): string {
  const fallback = p.default === undefined ? (p.required ? '(required)' : '') : code(JSON.stringify(p.default));
  const type = p.type === 'array' && p.items ? `array of ${p.items.type}${shapeWords(p.items)}` : `${p.type}${shapeWords(p)}`;
  const allowed = p.enum ? ` (one of ${p.enum.map((v) => code(JSON.stringify(v))).join(', ')})` : '';
  return `| ${name} | ${cell(type)} | ${cell(fallback)} | ${cell((p.description ?? '') + allowed)} |`;
}

/** What an operator must know before starting: questions asked, what cannot be undone, secrets. */
function beforeYouStart(runbook: Runbook): string[] {
  const lines = runbook.steps.flatMap((s) => [
    ...(s.confirm ? [`- step \`${s.id}\` asks "${s.confirm}": answer on the terminal, or pass --yes`] : []),
    ...(typeof s.action.args.irreversible === 'string' ? [`- step \`${s.id}\` cannot be undone: ${s.action.args.irreversible}`] : []),
  ]);
  for (const [name, s] of Object.entries(runbook.secrets)) lines.push(`- secret \`${name}\` is read from ${'env' in s ? `the environment variable ${s.env}` : `the file ${s.file}`}`);
  return lines.length === 0 ? [] : ['## Before you start', '', ...lines, ''];
}

/** The runbook as an operator's document: what a drill or a review reads. */
export function runbookMarkdown(runbook: Runbook): string {
  const lines = [`# ${runbook.name} ${runbook.version}`, '', runbook.description.trim() || '(no description)', ''];
  lines.push('## How to run', '', '```sh', `runbook plan ${runbook.name} --inventory INV    # check mode: what would change`, `runbook exec ${runbook.name} --inventory INV`, '```', '');
  lines.push(`Default hosts: \`${runbook.hosts}\`. A failed step stops the run and every change is undone in reverse order.`, '');
  const params = Object.entries(runbook.params);
  if (params.length > 0) {
    lines.push('## Params', '', 'Set with `--param name=value`.', '', '| name | type | default | description |', '| --- | --- | --- | --- |');
    lines.push(...params.map(([name, p]) => paramRow(name, p)), '');
  }
  lines.push(...beforeYouStart(runbook));
  lines.push('## Steps', '');
  runbook.steps.forEach((step, i) => {
    lines.push(`### ${i + 1}. ${step.name} (\`${step.id}\`)`, '', `- on: ${where(step)}`, `- does: ${action(step)}`);
    lines.push(`- already done when: ${idempotence(step)}`, `- undone by: ${undo(step)}`);
    for (const m of modifiers(step)) lines.push(`- ${m}`);
    lines.push('');
  });
  return lines.join('\n');
}
