import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** git failed (not a repository, unknown revision): a usage error of `diff --base`. */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    return (await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new GitError(`git ${args.join(' ')}: ${stderr || (error as Error).message}`);
  }
}

/** The text of a file (relative to cwd) at a revision; undefined when it did not exist there. */
export async function readAtRevision(cwd: string, rev: string, file: string): Promise<string | undefined> {
  await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).catch(() => {
    throw new GitError(`unknown git revision '${rev}'`);
  });
  const exists = (await git(cwd, ['ls-tree', '--name-only', rev, '--', file])).trim() !== '';
  return exists ? git(cwd, ['show', `${rev}:./${file}`]) : undefined;
}

/** Runbook files (relative to cwd) that differ from a revision, untracked new ones included. */
export async function changedRunbooks(cwd: string, rev: string, dir = 'runbooks'): Promise<string[]> {
  const changed = await git(cwd, ['diff', '--name-only', '--relative', rev, '--', dir]);
  const untracked = await git(cwd, ['ls-files', '--others', '--exclude-standard', '--', dir]);
  const files = `${changed}\n${untracked}`.split('\n').filter((f) => /\.ya?ml$/.test(f));
  return [...new Set(files)].sort();
}
