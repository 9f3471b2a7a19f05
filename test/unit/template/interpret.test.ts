import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { type Insert, NeedsHandlebars, interpretable } from '../../../src/template/interpret.js';
import { QUOTE_HELPER, RAW_HELPER, rewriteForInsertion } from '../../../src/template/rewrite.js';

/** Both insertion helpers, made visible: the test compares what each renderer passes them. */
const insert: Insert = (helper, value, expression) => `<${helper === QUOTE_HELPER ? 'q' : 'r'}:${expression}=${JSON.stringify(value) ?? 'undefined'}>`;

const handlebars = Handlebars.create();
handlebars.registerHelper(QUOTE_HELPER, (value: unknown, expression: string) => insert(QUOTE_HELPER, value, expression));
handlebars.registerHelper(RAW_HELPER, (value: unknown, expression: string) => insert(RAW_HELPER, value, expression));

const ast = (source: string) => rewriteForInsertion(handlebars.parse(source), true);

/** What a render gives, or the error it throws, by class and message. */
function outcome(render: () => string): string {
  try {
    return render();
  } catch (error) {
    return `${error instanceof NeedsHandlebars ? 'NeedsHandlebars' : (error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

const context = {
  vars: { dir: '/etc/nova', list: ['a b', 'c'], empty: '', zero: 0, no: false, nothing: null, nested: { deep: 'ok' } },
  host: { name: 'cmp1' },
  text: 'abc',
};

describe('templates rendered without Handlebars', () => {
  it.each([
    'test -d {{vars.dir}}/sub && grep -q {{host.name}} {{vars.dir}}/f',
    '{{{vars.dir}}} {{vars.list}} {{vars.empty}} {{vars.zero}} {{vars.no}} {{vars.nothing}}',
    '{{vars.nested.deep}} {{vars.nested}} {{this.host.name}} {{./host.name}} {{vars.list.[1]}} {{text.length}}',
    'x {{! a comment }} y {{~vars.dir~}}  z',
    '{{missing}} and {{vars.missing}}',
    'through {{missing.deeper}}',
    'through null {{vars.nothing.deeper}}',
  ])('renders %j exactly as Handlebars does', (source) => {
    const fast = interpretable(ast(source), insert);
    expect(fast).toBeDefined();
    const compiled = handlebars.compile(ast(source), { strict: true, noEscape: true });
    expect(outcome(() => fast!(context))).toBe(outcome(() => compiled(context)));
  });

  it('leaves an inherited property to Handlebars and its prototype access rules', () => {
    const fast = interpretable(ast('{{vars.constructor}}'), insert)!;
    expect(outcome(() => fast(context))).toBe('NeedsHandlebars: constructor');
  });

  it.each(['{{#if vars.dir}}y{{/if}}', '{{join vars.list " "}}', '{{@root.vars}}', '{{#each vars.list}}{{../host.name}}{{/each}}', '{{> partial}}', '{{this}}'])(
    'is not used for %j (helpers, blocks, data, partials)',
    (source) => {
      expect(interpretable(ast(source), insert)).toBeUndefined();
    },
  );
});
