import type { FieldMap, ObjectRef, SchemaTypes } from '@pothos/core';
import type { PrismaClient } from '@regiograph/db';
import { IMPORT_ACTOR_PREFIX, listSize, REDACTED_ACTOR, requireScope, SCOPES, SEED_ACTOR, type Caller } from '@regiograph/shared';
import { readChanges, type ChangeEntry, type ChangeFeed, type ChangePage } from './change-feed';

/** The scope a token needs to read an audit trail. */
export const AUDIT_SCOPE = SCOPES.auditRead;

/**
 * Whether the change feed, open to everyone, shows a change's actor to this caller. The seed's and
 * imports' actors name no one, nor does the placeholder of a redacted one. A token's subject may be a person (a name, an e-mail address), and who
 * wrote what is the audit trail's to tell, behind its scope; a caller always sees its own writes, so a
 * partner can tell them from others' without that scope.
 */
export function actorShownTo(caller: Caller | null, actor: string): boolean {
  if (actor === SEED_ACTOR || actor === REDACTED_ACTOR || actor.startsWith(IMPORT_ACTOR_PREFIX)) return true;
  if (caller === null) return false;
  return caller.subject === actor || caller.scopes.includes(AUDIT_SCOPE);
}

/** A change as the open feed shows it: the actor withheld (null) where actorShownTo says so. */
export type FeedEntry = Omit<ChangeEntry, 'actor'> & { actor: string | null };

/** What the actor fields say of a subject past the operator's storage period. */
const REDACTED_DESCRIPTION =
  `"${REDACTED_ACTOR}" where a token subject was older than the storage period the operator set for them (none unless set): ` +
  'the change itself, its position and its cursor stay as they were.';

/** The page size both feeds take when `first` is left out. */
const FEED_PAGE_SIZE = 100;

/** `directives` of a feed's page: `first` (or the default) sizes the list `field` for demand control. */
function pageOf(field: string) {
  return listSize({ slicingArguments: ['first'], assumedSize: FEED_PAGE_SIZE, sizedFields: [field], requireOneSlicingArgument: false });
}

export interface ChangeFeedSchemaOptions<Types extends SchemaTypes, Entity extends string> {
  feed: ChangeFeed<Entity>;
  /** The subgraph's type prefix, e.g. "Project": ProjectChange, ProjectChangeFeed, ProjectAuditEntry… */
  prefix: string;
  /** What the subgraph's records are called in descriptions, e.g. "projects and their funding". */
  what: string;
  /** Each entity type with its description. */
  entityTypes: Record<Entity, string>;
  /** The feed's query field, e.g. "projectChanges". */
  feedField: string;
  /** The audit trail's query field, e.g. "projectAuditTrail"; none where writes carry no field values (bulk imports). */
  auditField?: string;
  /** Fields of the subgraph's own on its feed's change type, e.g. what the feed's `details` hold. */
  changeFields?: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, FeedEntry>) => FieldMap;
}

interface FeedContext {
  prisma: PrismaClient;
  /** Needed for the audit trail only. */
  caller?: () => Caller | null;
}

/**
 * The GraphQL side of the change feed and audit trail, the same in every subgraph but for the type
 * names (federation would need every field of a value type declared in two subgraphs @shareable).
 * The builder must declare the DateTime and JSON scalars from shared.
 */
export function defineChangeFeed<Types extends SchemaTypes, Entity extends string>(
  builder: PothosSchemaTypes.SchemaBuilder<Types>,
  options: ChangeFeedSchemaOptions<Types, Entity>,
): void {
  // Pothos cannot check fields against a builder whose types are a parameter; these need only the
  // prisma client and caller every subgraph context has, and the two scalars.
  const plain = builder as unknown as PothosSchemaTypes.SchemaBuilder<FeedTypes>;
  const { prefix, feed } = options;
  const entityEnum = plain.enumType(`${prefix}ChangeEntity`, {
    description: `The kinds of record in the change feed of ${options.what}.`,
    values: Object.fromEntries(Object.entries<string>(options.entityTypes).map(([name, description]) => [name, { description }])),
  });
  const operationEnum = plain.enumType('ChangeOperation', {
    description: 'What a write did to a record.',
    values: {
      CREATED: { description: 'The record was created.' },
      UPDATED: { description: 'The record was changed.' },
      DELETED: { description: 'The record was deleted (a tombstone: the key stays in the feed).' },
    },
  });

  // The fields a change shows in the feed and in the audit trail alike.
  const changeFields = <Entry extends FeedEntry>(t: PothosSchemaTypes.ObjectFieldBuilder<FeedTypes, Entry>) => ({
    cursor: t.string({
      description: 'Opaque and stable: pass it as `after` to read the changes committed after this one.',
      resolve: (entry) => entry.cursor,
    }),
    entityType: t.field({ type: entityEnum, description: 'The kind of record.', resolve: (entry) => entry.entityType as Entity }),
    key: t.id({ description: 'The record’s key (its id).', resolve: (entry) => entry.key }),
    operation: t.field({ type: operationEnum, description: 'Created, updated or deleted.', resolve: (entry) => entry.operation }),
    version: t.int({
      nullable: true,
      description: 'The record’s version after the write; null for a tombstone or a record without versions.',
      resolve: (entry) => entry.version,
    }),
    changedAt: t.field({
      type: 'DateTime',
      description: 'When the writing transaction started; commit order is the feed’s order, not this time.',
      resolve: (entry) => entry.changedAt,
    }),
  });

  const changeRef = plain.objectRef<FeedEntry>(`${prefix}Change`).implement({
    description: `One write to one record of ${options.what}, in commit order.`,
    fields: (t) => ({
      ...changeFields(t),
      actor: t.string({
        nullable: true,
        description:
          `Who wrote: "seed", "import:<files>", or a token subject (e.g. "apikey:<id>"). A token subject is shown only to that ` +
          `caller and to callers with the scope "${AUDIT_SCOPE}" (null for everyone else: a subject may name a person); the audit ` +
          `trail tells who wrote. ${REDACTED_DESCRIPTION}`,
        resolve: (entry) => entry.actor,
      }),
    }),
  });
  // Declared with the subgraph's own builder, whose types (its enums, its objects) they may name.
  if (options.changeFields) builder.objectFields(changeRef as unknown as ObjectRef<Types, FeedEntry>, options.changeFields);

  const feedRef = plain.objectRef<Omit<ChangePage, 'entries'> & { entries: FeedEntry[] }>(`${prefix}ChangeFeed`).implement({
    description: `A page of the change feed of ${options.what}.`,
    fields: (t) => ({
      changes: t.field({ type: [changeRef], description: 'The changes after the cursor, oldest first.', resolve: (page) => page.entries }),
      endCursor: t.exposeString('endCursor', {
        description:
          'Always set: the position after the last change returned; for a page narrowed by `types` that is not full, the head it ' +
          'read up to; with no change and no narrowing, the one asked for. Store it and ask again.',
      }),
      hasMore: t.exposeBoolean('hasMore', { description: 'True when more changes are committed after endCursor now.' }),
    }),
  });

  plain.queryFields((t) => ({
    [options.feedField]: t.field({
      type: feedRef,
      description:
        `The changes to ${options.what} after a cursor, each exactly once and in commit order, deletions as tombstones. ` +
        'Start without `after`, store `endCursor`, and ask again with it. Open to every caller; another caller’s token subject ' +
        `as actor only with the scope "${AUDIT_SCOPE}".`,
      args: {
        after: t.arg.string({
          required: false,
          description: 'The endCursor (or a change’s cursor) you stored; omit to start from the beginning.',
        }),
        types: t.arg({ type: [entityEnum], required: false, description: 'Only these kinds of record (all when omitted).' }),
        first: t.arg.int({
          required: false,
          defaultValue: FEED_PAGE_SIZE,
          description: 'The page size, 1–1000; 0 answers only endCursor, the current head of the feed.',
        }),
      },
      // Sized by `first` for demand control: a page of 1,000 changes is not a list of the default 25.
      directives: pageOf('changes'),
      resolve: async (_root, args, ctx) => {
        const page = await readChanges(ctx.prisma, feed, { after: args.after, types: args.types, first: args.first });
        // The token is verified only when a page holds a subject to show or withhold: reading the
        // seed's and imports' changes never fails because of a token it does not need.
        let caller: { verified: Caller | null } | undefined;
        const entries = page.entries.map((entry) => {
          if (actorShownTo(null, entry.actor)) return entry;
          caller ??= { verified: ctx.caller?.() ?? null };
          return actorShownTo(caller.verified, entry.actor) ? entry : { ...entry, actor: null };
        });
        return { ...page, entries };
      },
    }),
  }));

  const auditField = options.auditField;
  if (!auditField) return;
  const fieldChangeRef = plain.objectRef<ChangeEntry['changes'][number]>(`${prefix}AuditFieldChange`).implement({
    description: 'The old and new value of one changed field (stored column names; nested lists such as regions as a whole).',
    fields: (t) => ({
      field: t.exposeString('field', { description: 'The field (column) name.' }),
      oldValue: t.field({
        type: 'JSON',
        nullable: true,
        description: 'The value before the write; null when created or previously empty.',
        resolve: (change) => change.oldValue,
      }),
      newValue: t.field({
        type: 'JSON',
        nullable: true,
        description: 'The value after the write; null when deleted or emptied.',
        resolve: (change) => change.newValue,
      }),
    }),
  });

  const entryRef = plain.objectRef<ChangeEntry>(`${prefix}AuditEntry`).implement({
    description: `Who changed which record of ${options.what}, when, and how. Append-only: nothing can alter an entry but its actor, replaced by "${REDACTED_ACTOR}" after the storage period.`,
    fields: (t) => ({
      ...changeFields(t),
      actor: t.exposeString('actor', {
        description: `Who wrote: a token subject (e.g. "apikey:<id>"), "import:<files>" or "seed". ${REDACTED_DESCRIPTION}`,
      }),
      changes: t.field({
        type: [fieldChangeRef],
        description:
          'The changed fields with old and new values (every field when created or deleted; empty for seeded records and for a write that changed only the version).',
        resolve: (entry) => entry.changes,
      }),
    }),
  });

  const trailRef = plain.objectRef<ChangePage>(`${prefix}AuditTrail`).implement({
    description: `A page of the audit trail of ${options.what}, oldest first.`,
    fields: (t) => ({
      entries: t.field({ type: [entryRef], description: 'The entries after the cursor that match.', resolve: (page) => page.entries }),
      endCursor: t.exposeString('endCursor', { description: 'Always set: pass it as `after` for the next page.' }),
      hasMore: t.exposeBoolean('hasMore', { description: 'True when more matching entries follow.' }),
    }),
  });

  plain.queryFields((t) => ({
    [auditField]: t.field({
      type: trailRef,
      description: `Who changed ${options.what}, when, with the old and new values. Needs the scope "${AUDIT_SCOPE}" (else UNAUTHENTICATED or FORBIDDEN).`,
      args: {
        entityType: t.arg({ type: entityEnum, required: false, description: 'Only records of this kind.' }),
        key: t.arg.id({ required: false, description: 'Only this record (its key).' }),
        actor: t.arg.string({
          required: false,
          description: `Only writes of this actor. A subject past the storage period finds none of its writes: they show "${REDACTED_ACTOR}".`,
        }),
        after: t.arg.string({ required: false, description: 'A cursor from an earlier page or the change feed.' }),
        first: t.arg.int({ required: false, defaultValue: FEED_PAGE_SIZE, description: 'The page size, 1–1000.' }),
      },
      directives: pageOf('entries'),
      resolve: (_root, args, ctx) => {
        requireScope(ctx.caller?.() ?? null, AUDIT_SCOPE);
        return readChanges(
          ctx.prisma,
          feed,
          {
            after: args.after,
            types: args.entityType ? [args.entityType] : null,
            key: args.key == null ? null : String(args.key),
            actor: args.actor,
            first: args.first,
          },
          true,
        );
      },
    }),
  }));
}

type FeedTypes = PothosSchemaTypes.ExtendDefaultTypes<{
  Context: FeedContext;
  Scalars: { DateTime: { Input: Date; Output: Date }; JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
}>;
