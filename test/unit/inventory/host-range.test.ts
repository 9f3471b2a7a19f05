import { describe, expect, it } from 'vitest';
import { HostRangeError, expandHostPattern, expandHostRange, parseAddress } from '../../../src/inventory/host-range.js';

describe('expandHostRange', () => {
  it.each([
    ['www[01:03].example.com', ['www01.example.com', 'www02.example.com', 'www03.example.com']],
    ['db-[a:c]', ['db-a', 'db-b', 'db-c']],
    ['n[1:10:4]', ['n1', 'n5', 'n9']],
    ['n[:2]', ['n0', 'n1', 'n2']],
    ['r[1:2]-c[a:b]', ['r1-ca', 'r1-cb', 'r2-ca', 'r2-cb']],
    ['10.0.0.[8:10]', ['10.0.0.8', '10.0.0.9', '10.0.0.10']],
  ])('%s', (pattern, hosts) => {
    expect(expandHostRange(pattern)).toEqual(hosts);
  });

  it.each([
    ['web[01:3]', /equal-length/],
    ['web[1]', /begin:end/],
    ['web[1:]', /end value/],
    ['web[c:a]', /begin <= end/],
    ['web[1:x]', /not a number/],
  ])('refuses %s in Ansible words', (pattern, message) => {
    expect(() => expandHostRange(pattern)).toThrow(HostRangeError);
    expect(() => expandHostRange(pattern)).toThrow(message);
  });
});

describe('parseAddress and expandHostPattern', () => {
  it.each([
    ['web1:2222', { host: 'web1', port: 2222 }],
    ['[2001:db8::2]:2222', { host: '2001:db8::2', port: 2222 }],
    ['2001:db8::1', { host: '2001:db8::1' }],
    ['db[1:3]:5432', { host: 'db[1:3]', port: 5432 }],
    ['192.0.2.1:22', { host: '192.0.2.1', port: 22 }],
  ])('%s', (text, parsed) => {
    expect(parseAddress(text)).toEqual(parsed);
  });

  it('takes what it cannot read as an address literally, as Ansible does', () => {
    expect(parseAddress('not a host')).toBeUndefined();
    expect(expandHostPattern('fe80::1%eth0')).toEqual({ hosts: ['fe80::1%eth0'] });
    expect(expandHostPattern('db[01:02]:5432')).toEqual({ hosts: ['db01', 'db02'], port: 5432 });
  });
});
