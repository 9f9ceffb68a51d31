import { CooperationLedger } from './ledger';

describe('the cooperation ledger of the chaos run', () => {
  it('finds nothing lost when the database shows every acknowledged write', () => {
    const ledger = new CooperationLedger();
    ledger.created('C-1', 1);
    ledger.updated('C-1', 2);
    ledger.created('C-2', 1);
    ledger.deleted('C-2');
    expect(ledger.lost(new Map([['C-1', 2]]))).toEqual([]);
    expect(ledger.writes).toEqual({ created: 2, updated: 1, deleted: 1 });
    expect(ledger.acknowledged).toBe(4);
    expect(ledger.ids).toEqual(['C-1', 'C-2']);
  });

  it('reports a record that is gone, a version that went back and a delete that did not happen', () => {
    const ledger = new CooperationLedger();
    ledger.created('C-1', 1);
    ledger.created('C-2', 1);
    ledger.updated('C-2', 3);
    ledger.created('C-3', 1);
    ledger.deleted('C-3');
    expect(
      ledger.lost(
        new Map([
          ['C-2', 2],
          ['C-3', 1],
        ]),
      ),
    ).toEqual([
      'C-1: version 1 was acknowledged, but it is gone',
      'C-2: version 3 was acknowledged, but version 2 is stored',
      'C-3: its delete was acknowledged, but it is still there (version 1)',
    ]);
  });

  it('allows for writes that were not acknowledged: a higher version, or a record gone after a delete that failed', () => {
    const ledger = new CooperationLedger();
    ledger.created('C-1', 1);
    ledger.created('C-2', 2);
    ledger.deleteUnacknowledged('C-2');
    ledger.created('C-3', 1);
    ledger.deleteUnacknowledged('C-3');
    expect(
      ledger.lost(
        new Map([
          ['C-1', 4],
          ['C-3', 1],
        ]),
      ),
    ).toEqual([]);
    expect(ledger.acknowledged).toBe(3);
  });

  it('keeps the highest acknowledged version when answers arrive out of order', () => {
    const ledger = new CooperationLedger();
    ledger.created('C-1', 1);
    ledger.updated('C-1', 3);
    ledger.updated('C-1', 2);
    expect(ledger.lost(new Map([['C-1', 2]]))).toEqual(['C-1: version 3 was acknowledged, but version 2 is stored']);
  });

  it('refuses a write of a cooperation it never created', () => {
    expect(() => new CooperationLedger().updated('C-9', 2)).toThrow('cooperation C-9 was not created by this run');
  });
});
