import type { CommandResult } from '../connection/connection.js';
import { ConnectionPool } from '../connection/pool.js';
import { selectHosts } from '../inventory/pattern.js';
import type { Host, Inventory } from '../inventory/types.js';
import { TemplateEngine } from '../template/template.js';
import { renderDrillCommand } from './commands.js';

/** Commands the drill itself runs on hosts (markers, faults, health, assertions), over the inventory's ssh. */
export class DrillHosts {
  private readonly pool = new ConnectionPool();
  private readonly templates = new TemplateEngine();

  constructor(private readonly inventory: Inventory) {
    this.pool.add(inventory.hosts);
  }

  select(pattern: string): Host[] {
    return selectHosts(this.inventory, pattern);
  }

  /** The first host a pattern selects: markers and `run` faults happen once. */
  first(pattern: string): Host {
    const host = this.select(pattern)[0];
    if (!host) throw new Error(`no host matches '${pattern}'`);
    return host;
  }

  /** A failed command is data; only transport failures throw (HostError). */
  async run(host: string, command: string, timeoutMs = 120_000): Promise<CommandResult> {
    return (await this.pool.get(host)).exec(command, { timeoutMs });
  }

  /** A command the drill's author wrote, rendered for the host (src/drill/commands.ts), then run. */
  async runAuthored(host: Host, command: string): Promise<CommandResult> {
    return this.run(host.name, renderDrillCommand(this.templates, command, host, this.inventory));
  }

  close(): Promise<void> {
    return this.pool.closeAll();
  }
}
