import { groupBy, indexBy, manyByKey, oneByKey } from './collections';

interface Row {
  id: string;
  region: string | null;
}

const rows: Row[] = [
  { id: 'a', region: '03241' },
  { id: 'b', region: '03101' },
  { id: 'c', region: '03241' },
  { id: 'd', region: null },
];

describe('collections', () => {
  it('groupBy keeps every row under its key, in the order given', () => {
    expect([...groupBy(rows, (row) => row.region)]).toEqual([
      ['03241', [rows[0], rows[2]]],
      ['03101', [rows[1]]],
      [null, [rows[3]]],
    ]);
  });

  it('indexBy finds each row by its key', () => {
    const byId = indexBy(rows, (row) => row.id);
    expect(byId.get('c')).toBe(rows[2]);
    expect(byId.size).toBe(4);
  });

  it('oneByKey answers every key of a batch in the order asked, null for a key without a row, from one query', async () => {
    const asked: string[][] = [];
    const load = oneByKey(
      async (ids: string[]) => {
        asked.push(ids);
        return rows.filter((row) => ids.includes(row.id));
      },
      (row) => row.id,
    );
    expect(await load(['c', 'x', 'a'])).toEqual([rows[2], null, rows[0]]);
    expect(asked).toEqual([['c', 'x', 'a']]);
  });

  it('oneByKey matches a composite key through idOf', async () => {
    const load = oneByKey(
      async () => rows,
      (row) => `${row.id}/${row.region}`,
      (key: { id: string; region: string }) => `${key.id}/${key.region}`,
    );
    expect(
      await load([
        { id: 'b', region: '03101' },
        { id: 'b', region: '03241' },
      ]),
    ).toEqual([rows[1], null]);
  });

  it('manyByKey answers each key with its rows, none for a key without rows', async () => {
    const load = manyByKey(
      async (regions: string[]) => rows.filter((row) => row.region !== null && regions.includes(row.region)),
      (row) => row.region,
    );
    expect(await load(['03241', '03459', '03101'])).toEqual([[rows[0], rows[2]], [], [rows[1]]]);
  });

  it('manyByKey matches a composite key through idOf', async () => {
    const load = manyByKey(
      async () => rows,
      (row) => row.region,
      (key: { code: string }) => key.code,
    );
    expect(await load([{ code: '03101' }, { code: '03459' }])).toEqual([[rows[1]], []]);
  });
});
