import type { ScalarTag, Tags } from 'yaml';

/*
 * Ansible reads YAML with PyYAML: YAML 1.1 scalars (`yes`/`off` are booleans, `0644` is octal,
 * `1:30` is 90) but not all of the `yaml` package's 1.1 schema (`y`/`n` stay strings, `1e3` and
 * `09` are strings, dates stay text). These tags are PyYAML's implicit resolvers, plus Ansible's
 * `!vault` and `!unsafe`.
 */

/** A `!vault |` value before decryption: the ciphertext as written. */
export class VaultCiphertext {
  constructor(readonly ciphertext: string) {}
}

/** An `!unsafe` value: text Ansible never templates (ansible-inventory shows it as `__ansible_unsafe`). */
export class UnsafeText {
  constructor(readonly text: string) {}
}

const clean = (s: string): string => s.replace(/_/g, '');
const sexagesimal = (s: string): number => {
  const sign = s.startsWith('-') ? -1 : 1;
  const parts = clean(s).replace(/^[-+]/, '').split(':').map(Number);
  return sign * parts.reduce((total, part) => total * 60 + part, 0);
};

const scalar = (tag: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag =>
  ({ tag: `tag:yaml.org,2002:${tag}`, default: true, test, resolve }) as ScalarTag;

const PYYAML_SCALARS: ScalarTag[] = [
  scalar('null', /^(?:~|null|Null|NULL|)$/, () => null),
  scalar('bool', /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/, () => true),
  scalar('bool', /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/, () => false),
  scalar('int', /^[-+]?0b[0-1_]+$/, (s) => (s.startsWith('-') ? -1 : 1) * parseInt(clean(s).replace(/^[-+]?0b/, ''), 2)),
  scalar('int', /^[-+]?0[0-7_]+$/, (s) => (s.startsWith('-') ? -1 : 1) * parseInt(clean(s).replace(/^[-+]/, ''), 8)),
  scalar('int', /^[-+]?(?:0|[1-9][0-9_]*)$/, (s) => Number(clean(s))),
  scalar('int', /^[-+]?0x[0-9a-fA-F_]+$/, (s) => (s.startsWith('-') ? -1 : 1) * parseInt(clean(s).replace(/^[-+]?0x/, ''), 16)),
  scalar('int', /^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$/, sexagesimal),
  scalar('float', /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$/, (s) => Number(clean(s))),
  scalar('float', /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/, sexagesimal),
  scalar('float', /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/, (s) => (/nan/i.test(s) ? NaN : s.startsWith('-') ? -Infinity : Infinity)),
];

const ANSIBLE_TAGS: ScalarTag[] = [
  { tag: '!vault', resolve: (s: string) => new VaultCiphertext(s) } as ScalarTag,
  { tag: '!unsafe', resolve: (s: string) => new UnsafeText(s) } as ScalarTag,
];

const IMPLICIT = new Set(['null', 'bool', 'int', 'float', 'timestamp'].map((t) => `tag:yaml.org,2002:${t}`));

/** The `yaml` package's 1.1 tags with its implicit scalars replaced by PyYAML's. */
export function ansibleYamlTags(tags: Tags): Tags {
  const kept = tags.filter((t) => !(typeof t === 'object' && 'tag' in t && IMPLICIT.has(t.tag) && 'test' in t));
  return [...kept, ...PYYAML_SCALARS, ...ANSIBLE_TAGS];
}
