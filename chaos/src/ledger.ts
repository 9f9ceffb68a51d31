// What the chaos run's cooperation writer was told, and the check of it against the database at the
// end. A write that was not acknowledged (no answer came, or an error while PostgreSQL restarted) may
// or may not have been committed: it cannot be lost, and the check allows for it (a version may be
// higher than acknowledged; a record whose delete was not acknowledged may be gone).

/** One cooperation as the acknowledged writes left it. */
interface Acknowledged {
  /** The version the last acknowledged create or update returned. */
  version: number;
  /** A delete of it was acknowledged. */
  deleted: boolean;
  /** A delete of it was sent and not acknowledged: it may be gone. */
  mayBeDeleted: boolean;
}

/** Counts of acknowledged cooperation writes, by kind. */
export interface CooperationWrites {
  created: number;
  updated: number;
  deleted: number;
}

export class CooperationLedger {
  private readonly records = new Map<string, Acknowledged>();
  readonly writes: CooperationWrites = { created: 0, updated: 0, deleted: 0 };

  created(id: string, version: number): void {
    this.records.set(id, { version, deleted: false, mayBeDeleted: false });
    this.writes.created += 1;
  }

  updated(id: string, version: number): void {
    const record = this.known(id);
    record.version = Math.max(record.version, version);
    this.writes.updated += 1;
  }

  deleted(id: string): void {
    this.known(id).deleted = true;
    this.writes.deleted += 1;
  }

  deleteUnacknowledged(id: string): void {
    this.known(id).mayBeDeleted = true;
  }

  get acknowledged(): number {
    return this.writes.created + this.writes.updated + this.writes.deleted;
  }

  /** Every cooperation the run created: the ones to look up at the end. */
  get ids(): string[] {
    return [...this.records.keys()];
  }

  /**
   * The acknowledged writes that the database does not show, one line each. `stored` holds the
   * version of every one of `ids` that still exists.
   */
  lost(stored: ReadonlyMap<string, number>): string[] {
    const lost: string[] = [];
    for (const [id, record] of this.records) {
      const version = stored.get(id);
      if (record.deleted) {
        if (version !== undefined) lost.push(`${id}: its delete was acknowledged, but it is still there (version ${version})`);
      } else if (version === undefined) {
        if (!record.mayBeDeleted) lost.push(`${id}: version ${record.version} was acknowledged, but it is gone`);
      } else if (version < record.version) {
        lost.push(`${id}: version ${record.version} was acknowledged, but version ${version} is stored`);
      }
    }
    return lost;
  }

  private known(id: string): Acknowledged {
    const record = this.records.get(id);
    if (!record) throw new Error(`cooperation ${id} was not created by this run`);
    return record;
  }
}
