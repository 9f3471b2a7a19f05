import { builtIn, type ShowWords } from '../modules/definition.js';
import { moduleNamed } from '../modules/registry.js';
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

/** How `show` writes the arguments of a step: inline code, JSON for what is not a string. */
function wordsFor(args: Record<string, unknown>): ShowWords {
  return { code, arg: (key) => code(typeof args[key] === 'string' ? args[key] : JSON.stringify(args[key] ?? '')) };
}

/** The step's module with what `show` says of it: what it does, when it is done, how it is undone, notes. */
function described(step: Step): { does: string; done: string; undo: string; notes: string[] } {
  const module = moduleNamed(step.action.module);
  const args = step.action.args;
  if (module === undefined) return { does: code(step.action.module), done: '', undo: '', notes: [] };
  const words = wordsFor(args);
  const builtin = builtIn(module.name);
  return {
    does: module.show(args, words),
    done: module.showDone?.(args, words) ?? builtin.done,
    undo: module.showUndo?.(args, words) ?? builtin.undo,
    notes: module.showNotes?.(args, words) ?? [],
  };
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
  out.push(...described(step).notes);
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

/** The author's reason a step cannot be undone, when its module has one. */
function irreversibleLine(step: Step): string[] {
  const why = moduleNamed(step.action.module)?.irreversible?.(step.action.args);
  return why === undefined ? [] : [`- step \`${step.id}\` cannot be undone: ${why}`];
}

/** What an operator must know before starting: questions asked, what cannot be undone, secrets. */
function beforeYouStart(runbook: Runbook): string[] {
  const lines = runbook.steps.flatMap((s) => [
    ...(s.confirm ? [`- step \`${s.id}\` asks "${s.confirm}": answer on the terminal, or pass --yes`] : []),
    ...irreversibleLine(s),
  ]);
  for (const [name, s] of Object.entries(runbook.secrets)) lines.push(`- secret \`${name}\` is read from ${'env' in s ? `the environment variable ${s.env}` : `the file ${s.file}`}${s.optional ? ' (optional: empty when not set)' : ''}`);
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
    const { does, done, undo } = described(step);
    lines.push(`### ${i + 1}. ${step.name} (\`${step.id}\`)`, '', `- on: ${where(step)}`, `- does: ${does}`);
    lines.push(`- already done when: ${done}`, `- undone by: ${undo}`);
    for (const m of modifiers(step)) lines.push(`- ${m}`);
    lines.push('');
  });
  return lines.join('\n');
}
