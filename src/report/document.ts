import type { Runbook, Step } from '../runbook/types.js';

/** How a step decides it is already done, in words. */
function idempotence(step: Step): string {
  const a = step.action.args;
  if (step.action.module !== 'run') return `built into \`${step.action.module}\` (reads the host's state first)`;
  if (typeof a.check === 'string') return `\`${a.check}\` exits 0`;
  if (typeof a.creates === 'string') return `\`${a.creates}\` exists`;
  if (typeof a.removes === 'string') return `\`${a.removes}\` is absent`;
  return '**no check: always runs**';
}

/** How a step is undone, in words. */
function undo(step: Step): string {
  const a = step.action.args;
  if (step.action.module !== 'run') return `built into \`${step.action.module}\` (restores the state it found)`;
  if (typeof a.rollback === 'string') return `\`${a.rollback}\``;
  if (typeof a.irreversible === 'string') return `irreversible: ${a.irreversible}`;
  return '**no rollback**';
}

function action(step: Step): string {
  const a = step.action.args;
  if (step.action.module === 'run') return `\`${String(a.run)}\``;
  return `\`${step.action.module}\`: ${'`'}${JSON.stringify(a)}${'`'}`;
}

function modifiers(step: Step): string[] {
  const out: string[] = [];
  if (step.when) out.push(`only when \`${step.when}\``);
  if (step.loop) out.push(`for each of \`${Array.isArray(step.loop) ? JSON.stringify(step.loop) : step.loop}\``);
  if (step.runOnce) out.push('on the first matching host only');
  if (step.serial) out.push(`${step.serial} host(s) at a time`);
  if (step.become) out.push('as root (sudo -n)');
  if (step.timeoutMs) out.push(`timeout ${step.timeoutMs / 1000}s`);
  if (step.retries.attempts > 1) out.push(`${step.retries.attempts} attempts, ${step.retries.delayMs / 1000}s apart`);
  if (step.confirm) out.push(`asks: "${step.confirm}"`);
  if (step.onFailure !== 'rollback') out.push(`on failure: ${step.onFailure}`);
  if (step.action.module === 'run' && typeof step.action.args.verify === 'string') out.push(`verified by \`${step.action.args.verify}\``);
  return out;
}

/** The runbook as an operator's document: what a drill or a review reads. */
export function runbookMarkdown(runbook: Runbook): string {
  const lines = [`# ${runbook.name} ${runbook.version}`, '', runbook.description.trim(), '', `Default hosts: \`${runbook.hosts}\``, ''];
  const params = Object.entries(runbook.params);
  if (params.length > 0) {
    lines.push('## Params', '', '| name | type | default | description |', '| --- | --- | --- | --- |');
    for (const [name, p] of params) {
      lines.push(`| ${name} | ${p.type} | ${p.default === undefined ? (p.required ? '(required)' : '') : `\`${JSON.stringify(p.default)}\``} | ${p.description ?? ''} |`);
    }
    lines.push('');
  }
  const secrets = Object.entries(runbook.secrets);
  if (secrets.length > 0) {
    lines.push('## Secrets', '', ...secrets.map(([name, s]) => `- ${name}: from ${'env' in s ? `environment variable ${s.env}` : `file ${s.file}`}`), '');
  }
  lines.push('## Steps', '');
  runbook.steps.forEach((step, i) => {
    lines.push(`### ${i + 1}. ${step.name} (\`${step.id}\`)`, '', `- on: \`${step.hosts}\``, `- does: ${action(step)}`);
    lines.push(`- already done when: ${idempotence(step)}`, `- undone by: ${undo(step)}`);
    for (const m of modifiers(step)) lines.push(`- ${m}`);
    lines.push('');
  });
  return lines.join('\n');
}
