import { describe, expect, it } from 'vitest';
import { TemplateEngine, TemplateError, templateReferences } from '../../../src/template/index.js';

const engine = new TemplateEngine();
const context = {
  params: { backup: 'latest', services: ['nova-api', 'nova scheduler'], evil: 'x; touch /tmp/pwned', empty: '' },
  vars: { dump: '/var/backups/nova-1.sql.gz', nested: { deep: 'ok' } },
  run: { id: 'r1', check: false },
  imported: { stdout: 'done\n', rc: 0 },
};

describe('shell quoting', () => {
  it('leaves safe values bare', () => {
    expect(engine.render('gunzip -c {{vars.dump}}', context, 'shell')).toBe('gunzip -c /var/backups/nova-1.sql.gz');
  });

  it('quotes a value that would inject a command into one argument', () => {
    expect(engine.render('echo {{params.evil}}', context, 'shell')).toBe("echo 'x; touch /tmp/pwned'");
  });

  it('quotes single quotes inside values', () => {
    const rendered = engine.render('echo {{params.q}}', { params: { q: "it's" } }, 'shell');
    expect(rendered).toBe(`echo 'it'\\''s'`);
  });

  it('quotes the empty string as an explicit empty argument', () => {
    expect(engine.render('test -n {{params.empty}}', context, 'shell')).toBe("test -n ''");
  });

  it('inserts each list element as its own quoted word', () => {
    expect(engine.render('systemctl stop {{params.services}}', context, 'shell')).toBe("systemctl stop nova-api 'nova scheduler'");
  });

  it('inserts {{{x}}} raw', () => {
    expect(engine.render('echo {{{params.evil}}}', context, 'shell')).toBe('echo x; touch /tmp/pwned');
  });

  it('quotes the result of a helper', () => {
    expect(engine.render('echo {{join params.services ","}}', context, 'shell')).toBe("echo 'nova-api,nova scheduler'");
  });

  it('renders raw mode without quoting', () => {
    expect(engine.render('{{params.evil}}', context, 'raw')).toBe('x; touch /tmp/pwned');
  });
});

describe('strictness', () => {
  it.each([
    ['{{params.missing}}', 'params.missing'],
    ['{{vars.nested.nope}}', 'vars.nested.nope'],
    ['{{{nothing}}}', 'nothing'],
  ])('%s is an error naming %s', (source, variable) => {
    expect(() => engine.render(source, context, 'shell')).toThrowError(TemplateError);
    expect(() => engine.render(source, context, 'shell')).toThrowError(variable);
  });

  it('fails in a helper given a missing value, with the helper saying what it wanted', () => {
    expect(() => engine.render('{{join params.nope ","}}', context, 'shell')).toThrowError(/join expects a list/);
  });

  it('does not fail on a missing value given to default', () => {
    expect(engine.render('{{default params.none "fallback"}}', context, 'shell')).toBe('fallback');
  });

  it('lets default read through a missing parent, as Ansible\'s default filter does', () => {
    expect(engine.render('{{default params.none.user "fallback"}}', context, 'shell')).toBe('fallback');
    expect(engine.render('{{default (default params.none.user vars.nested.deep) "x"}}', context, 'raw')).toBe('ok');
    expect(engine.render('{{default vars.nested.deep "fallback"}}', context, 'raw')).toBe('ok');
    expect(engine.render('{{#each params.services}}{{default this "-"}} {{/each}}', context, 'raw')).toBe('nova-api nova scheduler ');
  });

  it('keeps a missing parent an error outside default, and never reads inherited properties', () => {
    expect(() => engine.render('{{join params.none.list ","}}', context, 'raw')).toThrowError(TemplateError);
    expect(engine.render('{{default vars.nested.constructor "none"}}', context, 'raw')).toBe('none');
    expect(engine.render('{{default vars.__proto__.toString "none"}}', context, 'raw')).toBe('none');
  });

  it('reads registered results', () => {
    expect(engine.render('{{imported.rc}}', context, 'shell')).toBe('0');
  });

  it.each([
    ['{{missing.backup.id}}', 'missing', 'missing.backup.id'],
    ['{{not missing.matches}}', 'missing', 'missing.matches'],
    ['{{and imported.rc (not vars.gone.deep)}}', 'vars.gone', 'vars.gone.deep'],
  ])('%s, read through a missing parent, names %s rather than a JavaScript error', (source, variable, path) => {
    const error = (() => {
      try {
        engine.render(source, context, 'raw');
      } catch (thrown) {
        return thrown as TemplateError;
      }
      throw new Error('rendered');
    })();
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toBe(`unknown template variable '${variable}' (in '${path}')`);
    expect(error.variable).toBe(variable);
  });
});

describe('helpers', () => {
  it.each([
    ['{{#if (eq params.backup "latest")}}yes{{else}}no{{/if}}', 'yes'],
    ['{{#if (ne params.backup "latest")}}yes{{else}}no{{/if}}', 'no'],
    ['{{#if (and run.id params.backup)}}yes{{/if}}', 'yes'],
    ['{{#if (or params.empty run.check)}}yes{{else}}no{{/if}}', 'no'],
    ['{{not run.check}}', 'true'],
    ['{{{json vars.nested}}}', '{"deep":"ok"}'],
  ])('%s renders %s', (source, expected) => {
    expect(engine.render(source, context, 'shell')).toBe(expected);
  });

  it('digest names any values in 16 hex digits, its own for each list of values', () => {
    const digest = (source: string, ctx: object = context) => engine.render(source, ctx, 'shell');
    expect(digest('{{digest run.id params.backup}}')).toMatch(/^[0-9a-f]{16}$/);
    expect(digest('{{digest params.q}}', { params: { q: 'x'.repeat(300) } })).toMatch(/^[0-9a-f]{16}$/);
    expect(digest('{{digest run.id params.backup}}')).toBe(digest('{{digest run.id params.backup}}'));
    // The values are kept apart: ("r1", "latest") is not ("r1l", "atest").
    expect(digest('{{digest run.id params.backup}}')).not.toBe(digest('{{digest "r1l" "atest"}}'));
    expect(digest('{{digest params.backup run.id}}')).not.toBe(digest('{{digest run.id params.backup}}'));
  });

  it('digest fails on a missing value rather than naming it "undefined"', () => {
    expect(() => engine.render('{{digest run.id params.nope}}', context, 'shell')).toThrowError(/digest expects one or more strings or numbers/);
  });
});

describe('templateReferences', () => {
  it('lists the paths a template reads, not helper names', () => {
    const refs = templateReferences('a {{vars.dump}} {{default params.x "y"}}\n{{#if (eq run.check true)}}{{item}}{{/if}}');
    expect(refs.map((r) => r.path)).toEqual(['vars.dump', 'params.x', 'run.check', 'item']);
    expect(refs[3]).toMatchObject({ line: 2, column: 29 });
  });

  it('does not look into each bodies, which read the iterated value', () => {
    const refs = templateReferences('{{#each params.services}}{{this}} {{name}}{{/each}}');
    expect(refs.map((r) => r.path)).toEqual(['params.services']);
  });
});
