import { describe, expect, it } from 'vitest';
import { labHosts } from '../../lab/config.js';
import { cinderConf, cloudsYaml, glanceApiConf, keystoneConf, novaComputeConf, novaConf, placementConf } from '../../lab/openstack/configs.js';
import { erlangPorts } from '../../lab/openstack/ports.js';
import { openstackUnits } from '../../lab/openstack/units.js';
import { UNITS } from '../../lab/services.js';

const config = { dir: '/tmp/lab-x', kind: 'openstack' as const, computes: 2, dbSize: 4 << 20, net: 131, port: 2222, inventory: '/tmp/lab-x/inventory/lab.yaml' };
const [ctl, cmp1, , stor1] = labHosts(config);

describe('the real-OpenStack lab units and configs', () => {
  it('runs the runbooks\' controller units in their start order, the same names as the simulated controller', () => {
    const names = openstackUnits('controller', ctl!, config).map((u) => u.name);
    expect(names).toEqual(['mariadb', 'rabbitmq-server', 'keystone', 'placement-api', 'glance-api', 'nova-api', 'nova-conductor',
      'nova-scheduler', 'cinder-api', 'cinder-scheduler', 'cinder-volume', 'neutron-stub']);
    expect(UNITS.controller.map((u) => u.name).filter((n) => n !== 'nova-novncproxy')).toEqual(names);
    expect(openstackUnits('compute', cmp1!, config).map((u) => u.name)).toEqual(['nova-compute']);
    expect(openstackUnits('storage', stor1!, config)).toEqual([]);
  });

  it('runs every daemon as its package\'s user, bound to ctl1\'s address', () => {
    const units = openstackUnits('controller', ctl!, config).filter((u) => u.command);
    expect(units.map((u) => `${u.name} ${u.user}`)).toContain('keystone keystone:keystone');
    expect(units.find((u) => u.name === 'rabbitmq-server')?.command).toContain(`RABBITMQ_NODE_IP_ADDRESS=${ctl!.address}`);
    expect(units.find((u) => u.name === 'keystone')?.checks).toEqual([`http:http://${ctl!.address}:5000/v3`]);
  });

  it('gives each lab its own Erlang ports, below the ephemeral range, disjoint between labs', () => {
    const seen = new Map<number, number>();
    for (let net = 1; net <= 254; net++) {
      const p = erlangPorts({ net });
      const ports = [p.epmd, p.dist, ...Array.from({ length: p.ctlMax - p.ctlMin + 1 }, (_, i) => p.ctlMin + i)];
      for (const port of ports) {
        expect(port).toBeLessThan(32768);
        expect(seen.get(port), `port ${port} of net ${net}`).toBeUndefined();
        seen.set(port, net);
      }
    }
  });

  it('names hosts in the configs, never addresses (the golden state is copied into any address range)', () => {
    for (const text of [keystoneConf(), glanceApiConf(), placementConf(), novaConf(), novaComputeConf(), cinderConf(), cloudsYaml()]) {
      expect(text).not.toMatch(/\b127\.\d+\.\d+\.\d+\b/);
      expect(text).toMatch(/ctl1/);
    }
    expect(novaComputeConf()).not.toMatch(/\[database\]/);
    expect(novaComputeConf()).toMatch(/compute_driver = fake\.FakeDriver/);
  });
});
