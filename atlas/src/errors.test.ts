import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ts from 'typescript';
import { ERROR_TEXTS, errorCodeText, failureOf, REASON_TEXTS, UNKNOWN_ERROR_TEXT } from './errors';

/**
 * The values of the `export const <name> = { … } as const` objects of a source file, by object and
 * key: a value is a string, or another of the file's objects' (`ErrorCode.QueryTooDeep`). The files
 * are read, not imported: the Atlas is no package of the gateway's, which serves the Atlas.
 */
function constObjects(file: string, known: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map()): Map<string, Map<string, string>> {
  const source = ts.createSourceFile(file, readFileSync(join(__dirname, '../..', file), 'utf8'), ts.ScriptTarget.Latest);
  const objects = new Map<string, Map<string, string>>();
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      let initializer = declaration.initializer;
      if (initializer && ts.isAsExpression(initializer)) initializer = initializer.expression;
      if (!ts.isIdentifier(declaration.name) || !initializer || !ts.isObjectLiteralExpression(initializer)) continue;
      const values = new Map<string, string>();
      for (const property of initializer.properties) {
        if (!ts.isPropertyAssignment(property)) throw new Error(`${file}: ${property.getText(source)} is no key: value`);
        const value = property.initializer;
        const resolved = ts.isStringLiteral(value)
          ? value.text
          : ts.isPropertyAccessExpression(value) && ts.isIdentifier(value.expression)
            ? (objects.get(value.expression.text) ?? known.get(value.expression.text))?.get(value.name.text)
            : undefined;
        if (resolved === undefined) throw new Error(`${file}: cannot read ${property.getText(source)}`);
        values.set(property.name.getText(source), resolved);
      }
      objects.set(declaration.name.text, values);
    }
  }
  return objects;
}

const shared = constObjects('shared/src/errors.ts');
const gateway = constObjects('gateway/src/errors.ts', shared);
/** The Apollo Server the gateway runs, whose codes it passes on (gateway/src/errors.ts, CLIENT_FACING_CODES). */
const { ApolloServerErrorCode } = createRequire(join(__dirname, '../../gateway/package.json'))('@apollo/server/errors') as {
  ApolloServerErrorCode: Record<string, string>;
};

/** The check that a German text holds no English, shared's as the API's tests use it (the gateway's, which the Atlas is not a package of). */
const { englishWordsIn } = createRequire(join(__dirname, '../../gateway/package.json'))('@regiograph/shared/testing') as {
  englishWordsIn(text: string): string[];
};

function codesOf(objects: Map<string, Map<string, string>>, name: string): string[] {
  const values = objects.get(name);
  if (!values) throw new Error(`no ${name}`);
  return [...values.values()];
}

describe('the German of the API error codes', () => {
  // Read from the enums: a new code fails here until ERROR_TEXTS has its German.
  it.each([
    ['ErrorCode (shared)', () => codesOf(shared, 'ErrorCode')],
    ['GatewayErrorCode (gateway)', () => codesOf(gateway, 'GatewayErrorCode')],
    ["Apollo Server's ApolloServerErrorCode", () => Object.values(ApolloServerErrorCode)],
  ] as const)('has a text for every code of %s', (_name, codes) => {
    const read = codes();
    // The enums were found and read: the test cannot pass on an empty list.
    expect(read.length).toBeGreaterThan(5);
    expect(read.filter((code) => !Object.hasOwn(ERROR_TEXTS, code))).toEqual([]);
  });

  it('has no text for a code the API does not answer with', () => {
    const answered = new Set([
      ...codesOf(shared, 'ErrorCode'),
      ...codesOf(gateway, 'GatewayErrorCode'),
      ...Object.values(ApolloServerErrorCode),
    ]);
    expect(Object.keys(ERROR_TEXTS).filter((code) => !answered.has(code))).toEqual([]);
  });

  it('says each text in German, each code its own', () => {
    const texts = Object.values(ERROR_TEXTS);
    for (const text of texts) expect(text).toMatch(/^[A-ZÄÖÜ].*\.$/);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('says each text without English words', () => {
    const texts = [...Object.values(ERROR_TEXTS), ...Object.values(REASON_TEXTS), UNKNOWN_ERROR_TEXT];
    expect(texts.flatMap((text) => englishWordsIn(text).map((word) => `${word}: ${text}`))).toEqual([]);
  });

  it('has a text for a code it does not know and for none', () => {
    expect(errorCodeText('SOMETHING_NEW')).toBe(UNKNOWN_ERROR_TEXT);
    expect(errorCodeText('constructor')).toBe(UNKNOWN_ERROR_TEXT);
    expect(errorCodeText(undefined)).toBe(UNKNOWN_ERROR_TEXT);
  });
});

describe('the German of the reasons of BAD_USER_INPUT', () => {
  // Read from the enum: a new reason fails here until REASON_TEXTS has its German.
  it("has a text for every reason of shared's InputRefusalReason, and none for another", () => {
    const reasons = codesOf(shared, 'InputRefusalReason');
    expect(reasons.length).toBeGreaterThan(3);
    expect(reasons.filter((reason) => !Object.hasOwn(REASON_TEXTS, reason))).toEqual([]);
    expect(Object.keys(REASON_TEXTS).filter((reason) => !reasons.includes(reason))).toEqual([]);
  });

  it('says each reason in German, each its own, none the code’s general sentence', () => {
    const texts = Object.values(REASON_TEXTS);
    for (const text of texts) expect(text).toMatch(/^[A-ZÄÖÜ].*\.$/);
    expect(new Set([...texts, ERROR_TEXTS.BAD_USER_INPUT]).size).toBe(texts.length + 1);
  });

  it("says a refusal by its reason, the code's sentence for a reason it does not know, and quotes the message", () => {
    const refusal = (reason?: string) => ({
      message: 'disparities needs rates or per-inhabitant indicators, not counts summed over the regions (population): …',
      extensions: { code: 'BAD_USER_INPUT', ...(reason ? { reason } : {}) },
    });
    expect(failureOf([refusal('NOT_ADDITIVE')])).toEqual({ text: REASON_TEXTS.NOT_ADDITIVE, details: [refusal().message] });
    expect(failureOf([refusal('SOMETHING_NEW')]).text).toBe(ERROR_TEXTS.BAD_USER_INPUT);
    expect(failureOf([refusal()]).text).toBe(ERROR_TEXTS.BAD_USER_INPUT);
    // A reason belongs to BAD_USER_INPUT: another code keeps its own text.
    expect(failureOf([{ message: 'x', extensions: { code: 'NOT_FOUND', reason: 'NOT_ADDITIVE' } }]).text).toBe(ERROR_TEXTS.NOT_FOUND);
  });
});

describe('failureOf', () => {
  it("says each code's German once and quotes each distinct message once, in order", () => {
    const perRegion = Array.from({ length: 45 }, () => ({
      message: 'Unknown indicator code(s) in indicator: nope.',
      extensions: { code: 'UNKNOWN_INDICATOR_CODES' },
    }));
    expect(failureOf([{ message: 'Indicator "nope" does not exist.', extensions: { code: 'NOT_FOUND' } }, ...perRegion])).toEqual({
      text: 'Das Angefragte gibt es nicht. Unbekannter Indikator.',
      details: ['Indicator "nope" does not exist.', 'Unknown indicator code(s) in indicator: nope.'],
    });
  });

  it('says a subgraph that is down in German, whichever it is', () => {
    const down = (service: string) => ({
      message: `The ${service} service is unreachable; the fields it provides are missing from this answer.`,
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    });
    const failure = failureOf([down('projects'), down('cooperations')]);
    expect(failure.text).toBe('Ein Dienst der API antwortet gerade nicht.');
    expect(failure.details).toHaveLength(2);
  });

  it('says that there was no answer when the errors are missing', () => {
    expect(failureOf(undefined)).toEqual({ text: 'Keine Antwort.', details: [] });
    expect(failureOf([])).toEqual({ text: 'Keine Antwort.', details: [] });
  });
});
