import { describe, expect, it } from 'vitest';
import { withServiceAccounts } from '../../../lab/users.js';

// A machine with OpenStack's packages has its own nova, glance, keystone, under other ids than
// the lab's seed gave its files: each lab host's passwd and group must name the seed's ids.
const MACHINE_PASSWD = ['root:x:0:0:root:/root:/bin/bash', 'keystone:x:107:114::/var/lib/keystone:/bin/sh', 'glance:x:64062:64062::/var/lib/glance:/bin/sh', 'mysql:x:102:105::/nonexistent:/bin/false', ''].join('\n');
const passwdLine = (name: string, id: number): string => `${name}:x:${id}:${id}::/var/lib/${name}:/usr/sbin/nologin`;

describe('withServiceAccounts', () => {
  it("replaces the machine's entries of the service names and ids by the seed's", () => {
    const lines = withServiceAccounts(MACHINE_PASSWD, passwdLine, 2).trimEnd().split('\n');
    expect(lines).toEqual([
      'root:x:0:0:root:/root:/bin/bash',
      'mysql:x:102:105::/nonexistent:/bin/false',
      passwdLine('nova', 64060),
      passwdLine('glance', 64061),
      passwdLine('keystone', 64062),
      passwdLine('cinder', 64063),
      passwdLine('swift', 64064),
    ]);
  });

  it('matches shadow lines by name only (they have no id)', () => {
    const shadow = withServiceAccounts('root:*:1::::::\nkeystone:!:1::::::\n', (name) => `${name}:*:20000:0:99999:7:::`, undefined);
    expect(shadow.split('\n').filter((l) => l.startsWith('keystone:'))).toEqual(['keystone:*:20000:0:99999:7:::']);
    expect(shadow.startsWith('root:*:1::::::\n')).toBe(true);
  });
});
