import semver from 'semver';
import type { BumpLevel, VersionVerdict } from './types.js';

const LEVELS: readonly BumpLevel[] = ['none', 'patch', 'minor', 'major'];

/** The higher of two levels. */
export function maxLevel(a: BumpLevel, b: BumpLevel): BumpLevel {
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
}

/** What kind of bump old -> next is; pre-releases count as the bump they lead to. */
function bumpMade(old: string, next: string): VersionVerdict['made'] {
  if (semver.eq(old, next)) return 'none';
  if (semver.lt(next, old)) return 'downgrade';
  const kind = semver.diff(old, next);
  if (kind === 'major' || kind === 'premajor') return 'major';
  if (kind === 'minor' || kind === 'preminor') return 'minor';
  if (kind === 'patch' || kind === 'prepatch') return 'patch';
  return 'other';
}

/** The next version at each level at or above `required` (the same version too when nothing changed). */
function acceptedVersions(old: string, required: BumpLevel): string[] {
  const from = Math.max(1, LEVELS.indexOf(required));
  const bumps = LEVELS.slice(from).map((level) => semver.inc(old, level as semver.ReleaseType) ?? old);
  return required === 'none' ? [old, ...bumps] : bumps;
}

function isAccepted(next: string, accepted: readonly string[]): boolean {
  const parsed = semver.parse(next);
  const base = parsed === null ? next : `${parsed.major}.${parsed.minor}.${parsed.patch}`;
  return accepted.includes(next) || (parsed !== null && parsed.prerelease.length > 0 && accepted.includes(base));
}

/**
 * Judges a version change: the new version must be exactly the next patch, minor or major of the
 * old one (a pre-release of it is fine), at least at the required level. Major is never
 * required, always allowed: the author's call for a redesign.
 */
export function judgeVersion(old: string, next: string, required: BumpLevel, reasons: readonly string[]): VersionVerdict {
  const accepted = acceptedVersions(old, required);
  return { old, new: next, required, reasons: [...reasons], made: bumpMade(old, next), ok: isAccepted(next, accepted), accepted };
}

/** The verdict in words, for a failed one: what is wrong and what would be right. */
export function verdictProblem(v: VersionVerdict): string {
  const needs = `this change needs a ${v.required} bump (${v.accepted[0] ?? '?'}): ${v.reasons.join('; ')}`;
  switch (v.made) {
    case 'none':
      return `version ${v.old} not bumped; ${needs}`;
    case 'downgrade':
      return `version goes backwards, ${v.old} -> ${v.new}; ${needs}`;
    case 'patch':
    case 'minor':
    case 'major':
      return LEVELS.indexOf(v.made) < LEVELS.indexOf(v.required)
        ? `${v.old} -> ${v.new} is a ${v.made} bump; ${needs}`
        : `${v.old} -> ${v.new} skips versions: the next ${v.made} version is ${semver.inc(v.old, v.made) ?? '?'}`;
    case 'other':
      return `${v.old} -> ${v.new} is not a semver bump; expected one of ${v.accepted.join(', ')}`;
    default: {
      const unreachable: never = v.made;
      return String(unreachable);
    }
  }
}
