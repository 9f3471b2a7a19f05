#!/usr/bin/env node
// The runbook program: the CLI, composed with what this repository adds to it. The lab is this
// repository's test bed; a drill loads its access only when the inventory is one a lab wrote.
import { runCli } from '../src/cli/main.js';

runCli(process.argv, {
  locateLab: async (inventory) => (await import('../lab/drill-access.js')).labFor(inventory),
});
