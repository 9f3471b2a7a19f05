import { copyModule } from './copy.js';
import type { StepModule } from './module.js';
import type { TemplateArgs } from '../runbook/module-args.js';

export type { TemplateArgs };

/**
 * `template`: a Handlebars file from the control node, rendered with the step's context and
 * written to dest. The loader reads the file into `content` when the runbook loads and the
 * engine renders every module argument raw (no shell quoting, no HTML escaping) with the same
 * strict context as the rest of the step, so by the time the module runs it is `copy`: same
 * check (sha256 of the rendered text and the attributes), same aside copy and rollback.
 */
export const templateModule: StepModule<TemplateArgs, unknown> = {
  ...(copyModule as StepModule<TemplateArgs, unknown>),
  name: 'template',
};
