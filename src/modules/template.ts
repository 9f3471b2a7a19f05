import { FILE_ATTRIBUTES_SCHEMA } from './facts.js';
import { controlNodeFileRule, copyModule, type CopyArgs, type CopyPrior, readControlNodeFile } from './copy.js';
import { isRecord } from '../runbook/raw.js';
import { defineModule } from './definition.js';

/** The template file (src, relative to the runbook) arrives read into content, not yet rendered. */
export type TemplateArgs = CopyArgs & {
  /** The template file as written in the runbook, for display. */
  src: string;
  content: string;
};

/**
 * `template`: a Handlebars file from the control node, rendered with the step's context and
 * written to dest. The loader reads the file into `content` when the runbook loads and the
 * engine renders every module argument raw (no shell quoting, no HTML escaping) with the same
 * strict context as the rest of the step, so by the time the module runs it is `copy`: same
 * check (sha256 of the rendered text and the attributes), same aside copy and rollback.
 */
export const templateModule = defineModule<TemplateArgs, CopyPrior>({
  ...copyModule,
  name: 'template',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['src', 'dest'],
    description: "A control-node Handlebars file rendered with the step's context and written to dest.",
    properties: {
      src: {
        type: 'string',
        description: 'Template file on the control node, relative to the runbook.',
      },
      dest: {
        type: 'string',
      },
      ...FILE_ATTRIBUTES_SCHEMA,
    },
  },
  load({ value, runbookDir }) {
    const args = value as Omit<TemplateArgs, 'content'>;
    return { ...args, content: readControlNodeFile(runbookDir, args.src) };
  },
  rules({ value, at, findings }) {
    if (isRecord(value)) controlNodeFileRule(value.src, `${at}.src`, 'template', findings);
  },
  show: (_args, words) => `renders ${words.arg('src')} to ${words.arg('dest')}`,
});
