import { describe, expect, it } from 'vitest';
import { sqlIdentifier, sqlLiteral } from '../../../src/command/sql.js';

describe('sql values', () => {
  it('escapes quotes and backslashes in a string literal, so a value cannot end it', () => {
    expect(sqlLiteral("it's \\ done")).toBe("'it''s \\\\ done'");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(true)).toBe('1');
    expect(sqlLiteral(42)).toBe('42');
  });

  it('doubles a backquote in an identifier, so a name cannot end it', () => {
    expect(sqlIdentifier('instances')).toBe('`instances`');
    expect(sqlIdentifier('x` WHERE 1; DROP TABLE y; --')).toBe('`x`` WHERE 1; DROP TABLE y; --`');
  });
});
