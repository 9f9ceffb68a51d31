import { poolBeyondServer } from './connection-limits';

describe('a subgraph replica pool against its server', () => {
  const limits = { maxConnections: 100, reservedConnections: 3 };

  it('fits up to the connections the server leaves a role without reserved slots', () => {
    expect(poolBeyondServer('primary', 97, limits)).toBeNull();
    expect(poolBeyondServer('primary', 10, limits)).toBeNull();
  });

  it('is beyond the server past them, with the figures the warning names', () => {
    expect(poolBeyondServer('read replica 1', 98, limits)).toEqual({
      pool: 'read replica 1',
      poolMax: 98,
      maxConnections: 100,
      reservedConnections: 3,
      available: 97,
    });
  });
});
