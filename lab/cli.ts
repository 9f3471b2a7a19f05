#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { labDirFromEnv } from './config.js';
import { down, openLab, reset, up } from './lab.js';
import { healthy, status } from './status.js';

const USAGE = `usage: npm run lab -- <command>
  up [--computes N] [--db-size S] [--openstack | --simulated] [--offsite | --no-offsite] [--galera]
                                    start (or restart) the lab; S like 4M, 200M, 1G;
                                    --openstack: the real services from Debian's packages
                                    (first build ~10-15 min, then cached); default: the
                                    kind of the lab in LAB_DIR, else simulated;
                                    --offsite: also site2, a real Swift (off-site copies)
                                    --galera: ctl1..ctl3 as one MariaDB Galera cluster
  down                              stop every lab process (data stays)
  status [--json]                   hosts, sshd and services
  reset                             down, reseed the data, up (same shape)
  fingerprint [--host H] [--json]   digest of databases and protected directories
  fault <kind> ...                  inject a fault (see lab/README.md; "fault --help")
  heal <kind> ...                   undo a fault the lab can undo (start-sshd, ...)
environment: LAB_DIR (state folder, default .lab), LAB_NET, LAB_PORT`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const log = (line: string): void => console.log(`lab: ${line}`);
  switch (command) {
    case 'up': {
      const { values } = parseArgs({ args: rest, options: { computes: { type: 'string' }, 'db-size': { type: 'string' }, openstack: { type: 'boolean' }, simulated: { type: 'boolean' }, offsite: { type: 'boolean' }, 'no-offsite': { type: 'boolean' }, galera: { type: 'boolean' } } });
      if (values.openstack && values.simulated) throw new Error('lab: up takes --openstack or --simulated, not both');
      const kind = values.openstack ? 'openstack' : values.simulated ? 'simulated' : undefined;
      const offsite = values.offsite ? true : values['no-offsite'] ? false : undefined;
      const lab = await up({ log, ...(kind ? { kind } : {}), ...(offsite === undefined ? {} : { offsite }), ...(values.galera ? { galera: true } : {}), ...(values.computes ? { computes: Number(values.computes) } : {}), ...(values['db-size'] ? { dbSize: values['db-size'] } : {}) });
      return printStatus(lab, false);
    }
    case 'down':
      await down(labDirFromEnv());
      log('down');
      return 0;
    case 'reset': {
      const lab = await reset({ log });
      return printStatus(lab, false);
    }
    case 'status': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
      return printStatus(openLab(), values.json ?? false);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default: {
      const extra = await import('./cli-more.js');
      return extra.more(command, rest);
    }
  }
}

async function printStatus(lab: ReturnType<typeof openLab>, json: boolean): Promise<number> {
  const hosts = await status(lab);
  if (json) {
    console.log(JSON.stringify({ inventory: lab.inventory, hosts }, null, 2));
  } else {
    for (const h of hosts) {
      console.log(`${h.name.padEnd(6)} ${`${h.address}:${h.port}`.padEnd(20)} ${h.up ? 'up' : 'DOWN'}  sshd ${h.sshd ? 'ok' : 'DOWN'}`);
      for (const s of h.services) console.log(`         ${s.name.padEnd(18)} ${s.state.padEnd(10)} ${s.detail}`);
    }
    console.log(`inventory: ${lab.inventory}`);
  }
  return healthy(hosts) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  },
);
