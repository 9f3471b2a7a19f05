import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderReportMarkdown } from './report-md.js';
import type { DrillReport } from './report-model.js';

/** `<stateDir>/drills/<drill-id>/`: report.md for people, report.json for machines. */
export const reportDir = (stateDir: string, id: string): string => join(stateDir, 'drills', id);
export const reportPath = (stateDir: string, id: string): string => join(reportDir(stateDir, id), 'report.md');

export async function writeReport(stateDir: string, report: DrillReport): Promise<string> {
  const dir = reportDir(stateDir, report.id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(dir, 'report.md'), renderReportMarkdown(report));
  return join(dir, 'report.md');
}

/** Every past drill's report, newest first; folders without a readable report.json are left out. */
export async function listReports(stateDir: string): Promise<DrillReport[]> {
  const ids = await readdir(join(stateDir, 'drills')).catch(() => [] as string[]);
  const reports = await Promise.all(ids.map(async (id) => {
    try {
      const report = JSON.parse(await readFile(join(reportDir(stateDir, id), 'report.json'), 'utf8')) as DrillReport;
      return report.format === 'runbook-drill/1' ? report : undefined;
    } catch {
      return undefined;
    }
  }));
  return reports.filter((r): r is DrillReport => r !== undefined).sort((a, b) => b.started.localeCompare(a.started));
}
