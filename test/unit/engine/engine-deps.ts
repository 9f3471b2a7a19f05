import type { RunEvent, RunEventBody } from '../../../src/engine/events.js';
import type { EngineDeps } from '../../../src/engine/run.js';
import type { ModuleRegistry } from '../../../src/modules/module.js';
import { Redactor } from '../../../src/secrets/redactor.js';
import { TemplateEngine } from '../../../src/template/template.js';
import { recordingConnection } from '../../support/builders.js';

/**
 * Engine dependencies for unit tests: scripted modules, connections that record, events
 * collected into `events`, no waiting between retries.
 */
export function engineDeps(modules: ModuleRegistry, events: RunEvent[], overrides: Partial<EngineDeps> = {}): EngineDeps {
  return {
    modules,
    connection: async (name) => recordingConnection(name, []),
    templates: new TemplateEngine(),
    redactor: new Redactor([]),
    emit: (e: RunEventBody) => events.push({ at: '', ...e } as RunEvent),
    signal: new AbortController().signal,
    confirm: async () => true,
    forks: 20,
    run: { id: 'r1', started: '', runbook: 'test', version: '1.0.0', inventory: 'inv', check: false },
    secrets: {},
    sleep: async () => undefined,
    ...overrides,
  };
}
