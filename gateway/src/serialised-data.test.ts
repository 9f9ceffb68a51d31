import { actualCost } from './demand-control';
import {
  answerData,
  countJsonObjects,
  dataJson,
  serialise,
  serialisedData,
  serialisedDataOf,
  stringifyResult,
  transferable,
} from './serialised-data';

const ANSWERS: unknown[] = [
  { region: { name: 'Niedersachsen', children: [{ code: '031' }, { code: '032' }], parent: null } },
  { regions: [] },
  { table: { cells: [[{ value: 1 }, { value: null }], [{ value: 2 }]] } },
  { codes: ['{', '}', '[', ']'], nested: [null, { a: 1 }, null, { b: [true, false] }] },
  { quoted: 'a "quoted" \\ back\\slash } { [', after: { x: -1.5e-7 } },
  { mixed: [{ a: 1 }, 2, { b: 3 }], more: { c: 4 } },
  { numbers: [1, 2, 3], objects: [{}, {}, {}], bools: [true, { d: 1 }], strings: ['x', { e: 1 }] },
  { unicode: 'Oldenburg (Oldb) – Weser-Ems, Göttingen, \u2028 \ud83d\ude00' },
];

describe('countJsonObjects', () => {
  it.each(ANSWERS.map((answer) => [JSON.stringify(answer), answer]))('counts %s as demand control counts the data', (json, answer) => {
    const objects = countJsonObjects(json);
    expect(objects).not.toBeNull();
    expect(Math.max(0, objects! - 1)).toBe(actualCost(answer));
  });

  it('counts exactly: every object, lists of scalars skipped from their first scalar on', () => {
    expect(countJsonObjects('{"a":{"b":{}}}')).toBe(3);
    expect(countJsonObjects('{"l":[{},{},null,{}]}')).toBe(4);
    expect(countJsonObjects('{"l":[{},1,{}],"m":{}}')).toBe(3);
    expect(countJsonObjects('{"s":"{{{","l":["}",{}]}')).toBe(1);
    expect(countJsonObjects(' {"a":"\\"{"} \n')).toBe(1);
  });

  it('refuses text that is cut off, unbalanced or more than one value', () => {
    for (const text of ['{"a":{"b":1}', '{"a":"b', '{"a":[1,2}', '{"a":1}}', '{"a":1} {"b":2}', '{"a":"x\\"}', ']']) {
      expect(countJsonObjects(text)).toBeNull();
    }
  });
});

describe('serialisedData', () => {
  const answer = { region: { code: '03', name: 'Niedersachsen', children: [{ code: '031' }, { code: '032' }] } };
  const json = JSON.stringify(answer);

  it('reads like the parsed data', () => {
    const data = serialisedData({ json, objects: 4 });
    expect(data).toEqual(answer);
    expect(Object.keys(data)).toEqual(['region']);
    expect('region' in data).toBe(true);
    expect('other' in data).toBe(false);
    expect({ ...data }).toEqual(answer);
    expect(JSON.stringify(data)).toBe(json);
    expect((data.region as { children: unknown[] }).children).toHaveLength(2);
  });

  it('keeps its text and count until something reads it', () => {
    const data = serialisedData({ json, objects: 4 });
    expect(serialisedDataOf(data)).toEqual({ json, objects: 4 });
    expect(dataJson(data)).toBe(json);
    expect(actualCost(data)).toBe(3);
    // Read, it may be changed anywhere inside without the proxy seeing it: from now on it is an object.
    (data.region as Record<string, unknown>).name = 'changed inside';
    expect(serialisedDataOf(data)).toBeUndefined();
    const changed = { region: { ...answer.region, name: 'changed inside' } };
    expect(JSON.parse(dataJson(data))).toEqual(changed);
    expect(stringifyResult({ data })).toBe(JSON.stringify({ data: changed }) + '\n');
    data.extra = { added: true };
    expect(actualCost(data)).toBe(4);
    delete data.extra;
    expect(data).toEqual(changed);
  });

  it('is not mistaken for data that only looks alike', () => {
    expect(serialisedDataOf(JSON.parse(json))).toBeUndefined();
    expect(serialisedDataOf(null)).toBeUndefined();
    expect(serialisedDataOf('text')).toBeUndefined();
  });

  it('crosses to another thread as the UTF-8 bytes of its own text, other data as JSON.stringify writes it', () => {
    for (const crossing of [serialise(serialisedData({ json, objects: 4 })), serialise(answer)]) {
      expect(crossing.objects).toBe(4);
      expect(Buffer.from(crossing.json).toString('utf8')).toBe(json);
      // Its own ArrayBuffer, not a slice of Buffer's shared pool: transferring it moves nothing else.
      expect(crossing.json.buffer.byteLength).toBe(crossing.json.byteLength);
    }
  });

  it('moves bytes that own their buffer as they are and copies bytes that share one', () => {
    const own = transferable({ json, objects: 4 });
    expect(transferable(own).json).toBe(own.json);
    const shared = Buffer.from(`xx${json}`).subarray(2);
    const copied = transferable({ json: shared, objects: 4 }).json;
    expect(copied).not.toBe(shared);
    expect(copied.buffer.byteLength).toBe(copied.byteLength);
    expect(Buffer.from(copied).toString('utf8')).toBe(json);
  });

  it.each(ANSWERS.map((data) => [JSON.stringify(data), data]))('reads and writes %s from its bytes as from its text', (text, data) => {
    const fromBytes = serialisedData(transferable({ json: text, objects: countJsonObjects(text)! }));
    // Outside a request the HTTP layer serves, the answer's text holds the JSON itself.
    expect(stringifyResult({ data: fromBytes })).toBe(JSON.stringify({ data }) + '\n');
    expect(dataJson(fromBytes)).toBe(text);
    expect(fromBytes).toEqual(data);
  });
});

describe('answerData', () => {
  it('takes the data of a plain answer as Apollo Server writes it', () => {
    expect(answerData(`{"data":${JSON.stringify(ANSWERS[0])}}\n`)).toEqual({ json: JSON.stringify(ANSWERS[0]), objects: 4 });
    expect(answerData('{"data":{}}')).toEqual({ json: '{}', objects: 1 });
  });

  it('refuses anything else', () => {
    for (const text of [
      '{"data":null}',
      '{"data":{"a":1},"errors":[]}',
      '{"data":{"a":1}} {"data":{}}',
      '{"data":{"a":{"b":1}}',
      '{"data":{"a":"}"',
      '{"errors":[{"message":"no"}]}',
      '',
    ]) {
      expect(answerData(text)).toBeNull();
    }
  });
});

describe('stringifyResult', () => {
  const errors = [{ message: 'partly', path: ['region', 'name'], extensions: { code: 'X' } }];
  const extensions = { cost: { estimated: 3, actual: 3, limit: 1000 } };

  it('writes what JSON.stringify writes, with a line break', () => {
    for (const data of ANSWERS) {
      for (const result of [
        { errors: undefined, data, extensions: undefined },
        { errors, data, extensions },
        { errors: undefined, data, extensions },
        { data },
      ]) {
        const expected = JSON.stringify(result) + '\n';
        expect(stringifyResult(result)).toBe(expected);
        expect(
          stringifyResult({
            ...result,
            data: serialisedData({ json: JSON.stringify(data), objects: countJsonObjects(JSON.stringify(data))! }),
          }),
        ).toBe(expected);
      }
    }
    expect(stringifyResult({ errors, data: null })).toBe(JSON.stringify({ errors, data: null }) + '\n');
    expect(stringifyResult({ errors })).toBe(JSON.stringify({ errors }) + '\n');
  });

  it('writes data changed after it arrived as it now is', () => {
    const data = serialisedData({ json: '{"a":1}', objects: 1 });
    data.b = 2;
    expect(stringifyResult({ data })).toBe('{"data":{"a":1,"b":2}}\n');
  });
});
