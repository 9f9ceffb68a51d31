/** Rows grouped by a key, in their order: how a batch loader hands each key its rows. */
export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/** Rows by a unique key. */
export function indexBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T> {
  return new Map(rows.map((row) => [key(row), row]));
}

/**
 * The batch function of a DataLoader with one row per key: one query for all keys of a batch, each
 * key answered with its row, or null when there is none ("find many, index by key, map back").
 * Composite keys (objects) are matched through `idOf`, which gives a key the id `keyOf` gives its row.
 */
export function oneByKey<K, T>(
  findMany: (keys: K[]) => Promise<readonly T[]>,
  keyOf: (row: T) => K,
): (keys: readonly K[]) => Promise<(T | null)[]>;
export function oneByKey<K, T, I>(
  findMany: (keys: K[]) => Promise<readonly T[]>,
  keyOf: (row: T) => I,
  idOf: (key: K) => I,
): (keys: readonly K[]) => Promise<(T | null)[]>;
export function oneByKey<K, T, I>(
  findMany: (keys: K[]) => Promise<readonly T[]>,
  keyOf: (row: T) => I,
  idOf?: (key: K) => I,
): (keys: readonly K[]) => Promise<(T | null)[]> {
  return async (keys) => {
    const rows = indexBy(await findMany([...keys]), keyOf);
    return keys.map((key) => rows.get(idOf ? idOf(key) : (key as unknown as I)) ?? null);
  };
}

/**
 * The batch function of a DataLoader with many rows per key: one query for all keys of a batch,
 * each key answered with its rows in the query's order, or none. Composite keys as in `oneByKey`.
 */
export function manyByKey<K, T>(
  findMany: (keys: K[]) => Promise<readonly T[]>,
  keyOf: (row: T) => K | null,
): (keys: readonly K[]) => Promise<T[][]>;
export function manyByKey<K, T, I>(
  findMany: (keys: K[]) => Promise<readonly T[]>,
  keyOf: (row: T) => I | null,
  idOf: (key: K) => I,
): (keys: readonly K[]) => Promise<T[][]>;
export function manyByKey<K, T, I>(
  findMany: (keys: K[]) => Promise<readonly T[]>,
  keyOf: (row: T) => I | null,
  idOf?: (key: K) => I,
): (keys: readonly K[]) => Promise<T[][]> {
  return async (keys) => {
    const groups = groupBy(await findMany([...keys]), keyOf);
    return keys.map((key) => groups.get(idOf ? idOf(key) : (key as unknown as I)) ?? []);
  };
}
