import { describe, expect, it } from 'vitest';
import { type LabConfig, labHosts } from '../../../lab/config.js';
import { galeraCnf, membersOf, replicatedPlaces } from '../../../lab/galera/config.js';
import { galeraGroup } from '../../../lab/galera/inventory.js';

const config = (galera: boolean): LabConfig => ({ dir: '/tmp/lab-x', computes: 2, dbSize: 1, net: 150, port: 2222, inventory: '/tmp/lab-x/inventory/lab.yaml', ...(galera ? { galera } : {}) });

describe('the Galera lab', () => {
  it('has three controllers ctl1..ctl3 on 127.NET.1.1..3; a lab without --galera keeps its one', () => {
    expect(membersOf(labHosts(config(true))).map((h) => `${h.name} ${h.address}`)).toEqual(['ctl1 127.150.1.1', 'ctl2 127.150.1.2', 'ctl3 127.150.1.3']);
    expect(labHosts(config(false)).filter((h) => h.role === 'controller').map((h) => h.name)).toEqual(['ctl1']);
  });

  it("gives each member its own addresses for group communication, IST and SST, and the others' as peers", () => {
    const members = membersOf(labHosts(config(true)));
    const cnf = galeraCnf(members[1]!, members);
    expect(cnf).toContain('wsrep_cluster_address = gcomm://127.150.1.1:4567,127.150.1.2:4567,127.150.1.3:4567\n');
    expect(cnf).toContain('wsrep_provider_options = "gmcast.listen_addr=tcp://127.150.1.2:4567; ist.recv_addr=127.150.1.2:4568; gcache.size=64M"\n');
    expect(cnf).toContain('wsrep_sst_receive_address = 127.150.1.2:4444\n');
    expect(cnf).toContain('wsrep_node_name = ctl2\n');
  });

  it('lists the members in the inventory group galera, with the member backups are taken from', () => {
    expect(galeraGroup(labHosts(config(true)))).toEqual(['    galera:', '      vars:', '        galera_backup_member: ctl3', '      hosts:', '        ctl1: {}', '        ctl2: {}', '        ctl3: {}']);
  });

  it("masks a drill marker's table on every member (the row replicated), not on other hosts", () => {
    const members = membersOf(labHosts(config(true)));
    const places = replicatedPlaces({ tables: [{ host: 'ctl1', database: 'nova', table: 'instances' }, { host: 'stor1', database: 'x', table: 'y' }], files: [] }, members);
    expect(places.tables.map((t) => `${t.host} ${t.database}.${t.table}`).sort()).toEqual(['ctl1 nova.instances', 'ctl2 nova.instances', 'ctl3 nova.instances', 'stor1 x.y']);
  });
});
