import type { FieldChange, ParamDiff, RiskFlag, RunbookDiff, StepDiff } from './types.js';

/** Inline code that survives backticks and newlines in commands. */
export function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
  const fence = flat.includes('`') ? '``' : '`';
  return fence.length > 1 ? `${fence} ${flat} ${fence}` : `${fence}${flat}${fence}`;
}

function change(c: FieldChange): string {
  if (c.old === undefined) return `${c.field}: ${code(c.new ?? '')} (new)`;
  if (c.new === undefined) return `${c.field}: removed (was ${code(c.old)})`;
  return `${c.field}: ${code(c.old)} → ${code(c.new)}`;
}

/** Risk flag kinds as a reviewer says them. */
function words(kind: RiskFlag['kind']): string {
  return kind.replace(/-/g, ' ').replace('irreversible added', 'new irreversible step').replace('destructive added', 'new destructive command');
}

function versionLine(d: RunbookDiff): string[] {
  const v = d.version;
  if (v === undefined) return [];
  if (!v.ok) return [`**Version: ${v.made === 'none' ? 'not bumped' : 'bumped wrongly'}.** See the flags.`, ''];
  const need = v.required === 'none' ? 'no change needs a bump' : `${v.required} bump needed (${v.reasons.join('; ')})`;
  return [`Version: ${v.old} → ${v.new}, ${v.made === 'none' ? 'unchanged' : `a ${v.made} bump`}: ok, ${need}.`, ''];
}

function stepLines(s: StepDiff): string[] {
  switch (s.status) {
    case 'added': {
      const get = (f: string): string | undefined => s.changes.find((c) => c.field === f)?.new;
      const what = get('command') ?? `${get('action') ?? ''} ${get('args') ?? ''}`;
      return [`- added ${code(s.id)} as step ${s.newPosition}: ${code(what)} on ${code(get('hosts') ?? '')}`];
    }
    case 'removed':
      return [`- removed ${code(s.id)} (was step ${s.oldPosition})`];
    case 'changed': {
      const head = s.moved ? `- moved ${code(s.id)} from step ${s.oldPosition} to ${s.newPosition}` : `- changed ${code(s.id)} (step ${s.newPosition})`;
      return [head + (s.moved && s.changes.length > 0 ? ', and changed:' : ''), ...s.changes.map((c) => `  - ${change(c)}`)];
    }
    default: {
      const unreachable: never = s.status;
      return [String(unreachable)];
    }
  }
}

function paramLine(p: ParamDiff): string[] {
  if (p.status === 'removed') return [`- removed ${code(p.name)}`];
  return [`- ${p.status} ${code(p.name)}`, ...p.changes.map((c) => `  - ${change(c)}`)];
}

function section(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : [`### ${title}`, '', ...lines, ''];
}

function title(d: RunbookDiff): string {
  switch (d.status) {
    case 'added':
      return `## ${d.name} ${d.newVersion ?? ''} (new runbook)`;
    case 'removed':
      return `## ${d.name} ${d.oldVersion ?? ''} (removed)`;
    case 'changed':
    case 'unchanged':
      return `## ${d.name} ${d.oldVersion ?? ''} → ${d.newVersion ?? ''}`;
    default: {
      const unreachable: never = d.status;
      return String(unreachable);
    }
  }
}

/** One runbook's review as markdown: a PR comment or a job summary section. */
export function diffMarkdown(d: RunbookDiff): string {
  const lines = [title(d), ''];
  if (d.status === 'unchanged') return [...lines, 'No changes.', ''].join('\n');
  lines.push(...versionLine(d));
  lines.push(...section('Risk flags', d.flags.map((f) => `- **${words(f.kind)}**: ${f.message}`)));
  lines.push(...section('Steps', d.steps.flatMap(stepLines)));
  lines.push(...section('Params', d.params.flatMap(paramLine)));
  lines.push(...section('Runbook', d.runbook.map((c) => `- ${change(c)}`)));
  return lines.join('\n');
}
