// Demand control: what an operation may cost, estimated before any subgraph is called from the
// sizes the subgraphs declare with Federation 2.9's @cost and @listSize and RegioGraph's @sizedBy
// (all carried into the supergraph by composition), reported back as `extensions.cost`, charged to
// the client's budget, and used to shed expensive work while much of it is in flight.
//
// The estimate follows the GraphQL cost directive specification (ibm.github.io/graphql-specs/
// cost-spec.html) as Apollo's demand control reads it:
// - an object, interface or union field costs 1, a scalar or enum field 0, a mutation root field
//   10, unless @cost(weight:) on the field or its type says otherwise;
// - a list multiplies the cost of its items by its size: the largest of its integer slicing
//   arguments (a page size), else its @listSize(assumedSize:), else DEFAULT_LIST_SIZE; sizedFields
//   hand the size on to the lists inside (a connection's nodes and edges).
// Lists sized by data rather than by `first` declare @sizedBy(arguments:): a list argument counts
// its items (with emptyIsAbsent, an empty one counts as absent: the field's default profile), a
// region selection ({ codes } or { level, parentCode }) or a level its regions (from the region
// tree), fromYear/toYear their years (an open range the longest series of the indicators named, or
// of the stored data, data-years.ts), and several multiply
// (indicators × regions × years of a table). @sizedBy wins over the slicing arguments and the
// assumed size, which bounds the list when none of its arguments is given. @sizedBy repeats where
// arguments size a field's lists differently, each naming its lists by path (an observation table:
// its cells indicators × regions × years, its rows regions × years, each row's values and cells its
// indicators, its regions the regions); with everyYear, a range counts every year in it, stored or
// not, and an open end reaches to the first or last year of the indicators named, else of the
// stored data (a table's grid; never before the shipped data's, shared's DATA_YEARS, which an import
// of 2024 widens). The first @sizedBy is the field's own size. A field that is no list
// but declares both @sizedBy and @cost (a report over every region of a level) weighs its @cost
// once per item of its size: the report reads them all, whatever the query selects of it. A field
// that declares @readsLevel (a region's similarity search, which reads its level's profile) weighs
// its weightPerIndicator once per indicator its argument lists (else its assumed indicators, the
// default profile) at each place the query selects it, whatever its parents: the parents at one
// place are one subgraph fetch, which reads each level once; its sizedFields have an item per
// indicator read. A list that declares @widenedBy (a
// region's projects, which includeDescendants widens from its own to everything below it) holds
// its narrowSize while none of those arguments widens it, and its assumed size when one does.
import { Supergraph } from '@apollo/federation-internals';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  BREAK,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import {
  DATA_BOUNDS,
  DATA_YEARS,
  MAX_YEAR_SPAN,
  regionsPerLevel,
  sizeFromArguments,
  type DataBoundName,
  type DataYears,
  type Logger,
  type SizedByArguments,
} from '@regiograph/shared';
import { GatewayErrorCode } from './errors';
import { fragmentsOf, fragmentsSpreadBy } from './fragments';
import type { GatewayContext } from './context';
import { countObjects } from './serialised-data';
import { RateLimiter } from './rate-limit';
import type { SharedStore } from './store';

/** Size of a list that declares nothing (Apollo's default for unsized lists is of this order too). */
export const DEFAULT_LIST_SIZE = 25;
/** Regions per level (shared's region catalogue, BKG VG5000, 01.01.2021): the size of "all regions of a level". */
export const REGIONS_PER_LEVEL = regionsPerLevel();

/** Years of the longest shipped series (shared's DATA_YEARS, 1983–2023): an open year range's least span. */
export { MAX_YEAR_SPAN };
const MUTATION_WEIGHT = 10;

export interface ListSize {
  assumedSize: number | null;
  slicingArguments: string[];
  sizedFields: string[];
  /** Each @sizedBy: its arguments (which multiply), the lists it sizes (paths; none: the field itself), its years and bound. */
  sizedBy: SizedBy[];
  /** @widenedBy: the size while none of its arguments widens the list; null without it. */
  narrow: { size: number; arguments: string[] } | null;
}

/** The cost declarations of a supergraph, by "Type.field" and by type name. */
export interface CostDeclarations {
  fieldWeights: Map<string, number>;
  typeWeights: Map<string, number>;
  listSizes: Map<string, ListSize>;
  /** @readsLevel's declarations, by "Type.field". */
  levelReads: Map<string, LevelRead>;
  /**
   * The names of the fields whose size counts years (a @sizedBy over fromYear/toYear) or follows a
   * data bound (@sizedBy(dataBound:)): only an operation selecting one of them needs the stored
   * data's years and bounds (usesDataYears).
   */
  yearSizedFields: Set<string>;
}

/** Declarations of a supergraph that declares nothing (before the first is read). */
function noDeclarations(): CostDeclarations {
  return { fieldWeights: new Map(), typeWeights: new Map(), listSizes: new Map(), levelReads: new Map(), yearSizedFields: new Set() };
}

/** One @sizedBy as read from the supergraph, every argument present. */
export interface SizedBy extends SizedByArguments {
  sizedFields: string[];
  everyYear: boolean;
}

/** What @readsLevel declares: the weight of each indicator read, the argument that lists them, how many without it, and the lists with an item per indicator. */
export interface LevelRead {
  weightPerIndicator: number;
  indicators: string;
  assumedIndicators: number;
  sizedFields: string[];
}

function directiveArguments(directive: DirectiveNode): Record<string, unknown> {
  return Object.fromEntries((directive.arguments ?? []).map((argument) => [argument.name.value, valueOf(argument.value, {})]));
}

/** Reads @cost, @listSize, @sizedBy, @widenedBy and @readsLevel (under any prefix composition gave them) from a supergraph's SDL. */
export function readCostDeclarations(supergraphSdl: string): CostDeclarations {
  const declarations = noDeclarations();
  const named = (directive: string, name: string) => directive === name || directive.endsWith(`__${name}`);
  const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  for (const definition of parse(supergraphSdl).definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    for (const directive of definition.directives ?? []) {
      if (named(directive.name.value, 'cost')) declarations.typeWeights.set(typeName, Number(directiveArguments(directive).weight));
    }
    if (!('fields' in definition) || !definition.fields) continue;
    for (const field of definition.fields) {
      const key = `${typeName}.${field.name.value}`;
      for (const directive of field.directives ?? []) {
        const args = directiveArguments(directive);
        if (named(directive.name.value, 'cost')) declarations.fieldWeights.set(key, Number(args.weight));
        if (named(directive.name.value, 'readsLevel')) {
          declarations.levelReads.set(key, {
            weightPerIndicator: Number(args.weightPerIndicator),
            indicators: String(args.indicators),
            assumedIndicators: Number(args.assumedIndicators),
            sizedFields: strings(args.sizedFields),
          });
        }
        const isListSize = named(directive.name.value, 'listSize');
        const isWidenedBy = named(directive.name.value, 'widenedBy');
        const isSizedBy = named(directive.name.value, 'sizedBy');
        if (!isListSize && !isWidenedBy && !isSizedBy) continue;
        const size = declarations.listSizes.get(key) ?? {
          assumedSize: null,
          slicingArguments: [],
          sizedFields: [],
          sizedBy: [],
          narrow: null,
        };
        if (isWidenedBy) {
          size.narrow = { size: Number(args.narrowSize), arguments: strings(args.arguments) };
        } else if (isListSize) {
          size.assumedSize = typeof args.assumedSize === 'number' ? args.assumedSize : size.assumedSize;
          size.slicingArguments = strings(args.slicingArguments);
        } else {
          size.sizedBy.push({
            arguments: strings(args.arguments),
            sizedFields: strings(args.sizedFields),
            everyYear: args.everyYear === true,
            ...(typeof args.assumedSize === 'number' ? { assumedSize: args.assumedSize } : {}),
            ...(typeof args.within === 'string' ? { within: args.within } : {}),
            ...(args.emptyIsAbsent === true ? { emptyIsAbsent: true } : {}),
            ...(typeof args.dataBound === 'string' && args.dataBound in DATA_BOUNDS ? { dataBound: args.dataBound as DataBoundName } : {}),
          });
          if (strings(args.arguments).some((name) => name === 'fromYear' || name === 'toYear') || typeof args.dataBound === 'string')
            declarations.yearSizedFields.add(field.name.value);
        }
        // The first @sizedBy's lists, as @listSize's, take the field's size; a later one's its own.
        if (!isSizedBy || size.sizedBy.length === 1) size.sizedFields = [...new Set([...size.sizedFields, ...strings(args.sizedFields)])];
        declarations.listSizes.set(key, size);
      }
    }
  }
  return declarations;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((value) => valueOf(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, valueOf(field.value, variables)]));
  }
}

function isListOutput(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** The size a field's declarations give it for these arguments (its first @sizedBy's), or null when they give none. */
function declaredSize(listSize: ListSize, args: Record<string, unknown>, years: DataYears): number | null {
  const first = listSize.sizedBy[0];
  const sized = first ? sizeFromArguments(first, args, years) : null;
  if (sized !== null) return sized;
  const slices = listSize.slicingArguments.map((name) => args[name]).filter((value): value is number => typeof value === 'number');
  if (slices.length > 0) return Math.max(0, ...slices);
  return listSize.assumedSize;
}

const NOTHING_HANDED: ReadonlyMap<string, number> = new Map();

/**
 * The sizes a field hands to the lists inside what it returns, by path: @listSize's and the first
 * @sizedBy's sizedFields take the field's size, each further @sizedBy's its own (a table's rows
 * regions × years, their values its indicators), @readsLevel's the indicators it reads, and
 * `inherited` the paths a field above handed through this one ("rows.values" reaches `values`
 * through `rows`).
 */
function handedSizes(
  name: string,
  listSize: ListSize | undefined,
  levelRead: LevelRead | undefined,
  size: number | null,
  args: Record<string, unknown>,
  inherited: ReadonlyMap<string, number>,
  years: DataYears,
): ReadonlyMap<string, number> {
  let handed: Map<string, number> | null = null;
  const hand = (path: string, count: number) => (handed ??= new Map()).set(path, count);
  for (const [path, count] of inherited) if (path.startsWith(`${name}.`)) hand(path.slice(name.length + 1), count);
  if (levelRead) for (const path of levelRead.sizedFields) hand(path, indicatorsRead(levelRead, args[levelRead.indicators]));
  if (listSize) {
    for (const path of listSize.sizedFields) hand(path, size ?? DEFAULT_LIST_SIZE);
    for (const declaration of listSize.sizedBy.slice(1)) {
      const own = sizeFromArguments(declaration, args, years) ?? size ?? DEFAULT_LIST_SIZE;
      for (const path of declaration.sizedFields) hand(path, own);
    }
  }
  return handed ?? NOTHING_HANDED;
}

/**
 * A list's size where @widenedBy bounds it: its narrow size unless one of its arguments widens it, a
 * Boolean given as true or another value than the argument's default (`through: SELF` is the default,
 * `through: ALL` widens), whether written in the query or sent as a variable.
 */
function narrowed(
  size: number | null,
  listSize: ListSize,
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
): number | null {
  if (!listSize.narrow) return size;
  const widened = listSize.narrow.arguments.some((name) => {
    const value = args[name];
    if (value === undefined || value === null || value === false) return false;
    return value !== field.args.find((argument) => argument.name === name)?.defaultValue;
  });
  return widened ? size : Math.min(size ?? DEFAULT_LIST_SIZE, listSize.narrow.size);
}

/** The indicators a @readsLevel field reads: those its argument lists, else (absent or empty) the default profile's. */
function indicatorsRead(levelRead: LevelRead, listed: unknown): number {
  return Array.isArray(listed) && listed.length > 0 ? listed.length : levelRead.assumedIndicators;
}

/**
 * The request's variables with the operation's defaults for those it leaves out. A default sizes a
 * list as much as a value sent does: `$first: Int = 1000` without variables is a page of 1,000.
 */
function withDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  let values = variables;
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (definition.defaultValue === undefined || variables[name] !== undefined) continue;
    if (values === variables) values = { ...variables };
    values[name] = valueOf(definition.defaultValue, {});
  }
  return values;
}

/** Whether `@skip(if: true)` or `@include(if: false)` leaves a selection out of the answer, and so out of the cost. */
function isLeftOut(selection: SelectionNode, variables: Record<string, unknown>): boolean {
  for (const directive of selection.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if');
    // Validation has made `if` a Boolean!; a variable left unset counts the selection in.
    const value = condition ? valueOf(condition.value, variables) : undefined;
    if (typeof value === 'boolean' && value === (name === 'skip')) return true;
  }
  return false;
}

const yearsUsedBy = new WeakMap<CostDeclarations, WeakMap<DocumentNode, boolean>>();

/**
 * Whether an estimate of the document depends on the stored data's years: it selects a field whose
 * size counts years (by name, wherever it is, fragments included; a name alike on another type only
 * costs a read). Remembered per document and declarations: the other operations, nearly all, are
 * estimated without asking the data version at all (no store round trip, no read of the years).
 */
export function usesDataYears(declarations: CostDeclarations, document: DocumentNode): boolean {
  if (declarations.yearSizedFields.size === 0) return false;
  let byDocument = yearsUsedBy.get(declarations);
  if (!byDocument) yearsUsedBy.set(declarations, (byDocument = new WeakMap()));
  let uses = byDocument.get(document);
  if (uses === undefined) {
    let found = false;
    visit(document, {
      Field(node) {
        if (!declarations.yearSizedFields.has(node.name.value)) return undefined;
        found = true;
        return BREAK;
      },
    });
    uses = found;
    byDocument.set(document, uses);
  }
  return uses;
}

/**
 * Estimates an operation's cost from the declarations; stops walking once past `stopAbove` (the
 * figure is then a lower bound). `years`: the stored data's span (and series), which an open year
 * range reaches to; DATA_YEARS, the shipped data's, where the gateway has not learnt them.
 */
export function estimateCost(
  schema: GraphQLSchema,
  declarations: CostDeclarations,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  stopAbove = Number.POSITIVE_INFINITY,
  years: DataYears = DATA_YEARS,
): number {
  const fragments = fragmentsOf(document);
  const rootType =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  let total = 0;
  const values = withDefaults(operation, variables);

  const fieldWeight = (key: string, parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>): number => {
    const declared = declarations.fieldWeights.get(key);
    if (declared !== undefined) return declared;
    if (operation.operation === 'mutation' && parent === rootType) return MUTATION_WEIGHT;
    const named = getNamedType(field.type);
    return declarations.typeWeights.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
  };

  // `multiplier`: how many times this selection set is resolved; `inherited`: a size a parent's
  // @listSize(sizedFields:) hands to the fields it names.
  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    multiplier: number,
    path: Set<string>,
    inherited: ReadonlyMap<string, number>,
    parentArgs: Readonly<Record<string, unknown>>,
  ): void => {
    for (const selection of selectionSet.selections) {
      if (total > stopAbove) return;
      if (isLeftOut(selection, values)) continue;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, condition ?? parent, multiplier, path, inherited, parentArgs);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || path.has(fragment.name.value)) continue; // cycles are refused by validation
        path.add(fragment.name.value);
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? parent, multiplier, path, inherited, parentArgs);
        path.delete(fragment.name.value);
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__') || !parent || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[name];
      if (!field) continue;
      const key = `${parent.name}.${name}`;
      const listSize = declarations.listSizes.get(key);
      const levelRead = declarations.levelReads.get(key);
      // Arguments are read only where a declaration sizes by them, or a field inside may (the
      // region a `region(code:)` names, whose descendants count only its own): this runs on every request.
      const own =
        listSize || levelRead || (selection.selectionSet && selection.arguments?.length)
          ? Object.fromEntries((selection.arguments ?? []).map((argument) => [argument.name.value, valueOf(argument.value, values)]))
          : {};
      // `parent.<argument>`: the arguments of the field that returned this one's parent.
      const args = listSize
        ? { ...own, ...Object.fromEntries(Object.entries(parentArgs).map(([key, value]) => [`parent.${key}`, value])) }
        : own;
      const size = listSize ? narrowed(declaredSize(listSize, args, years), listSize, field, args) : null;
      const isList = isListOutput(field.type);
      // A field that is not a list but that a parent's sizedFields names (a report's CSV text) stands
      // for that many items: its weight counts once per item.
      const count = isList
        ? (inherited.get(name) ?? (listSize && listSize.sizedFields.length === 0 ? size : null) ?? DEFAULT_LIST_SIZE)
        : (inherited.get(name) ?? 1);
      // A report over every region of a level (disparities, funding against need) is sized by
      // @sizedBy but is no list, and declares @cost: its weight counts once per item of its size,
      // for it reads them all whatever is selected (shared's levelReport). Its fields count once.
      const perItem = !isList && listSize && listSize.sizedBy.length > 0 && size !== null && declarations.fieldWeights.has(key) ? size : 1;
      total += multiplier * count * perItem * fieldWeight(key, parent, field);
      // Not multiplied by the parents: they share the read (shared's readsLevel).
      if (levelRead) total += levelRead.weightPerIndicator * indicatorsRead(levelRead, args[levelRead.indicators]);
      if (!selection.selectionSet) continue;
      const handed = handedSizes(name, listSize, levelRead, size, args, inherited, years);
      // A list's items are many parents: only a single object's arguments name its children's parent.
      walk(selection.selectionSet, getNamedType(field.type), multiplier * count, path, handed, isList ? {} : own);
    }
  };
  if (rootType) walk(operation.selectionSet, rootType, 1, new Set(), new Map(), {});
  return total;
}

/** A slicing argument of an operation over the maximum its description documents, as a refusal names it. */
export interface ArgumentOverBound {
  /** The argument's schema coordinate, e.g. "Query.regionNameSuggestions(first:)". */
  coordinate: string;
  value: number;
  /** The documented maximum, e.g. 20 for "How many suggestions at most, 1–20.". */
  max: number;
}

/**
 * The maximum an argument's description documents: the upper end of the first range it states
 * ("Page size, 1–200."). Every slicing argument of the supergraph states one (a test holds them to
 * it); the subgraph that owns the field refuses a value beyond it, but only once demand control has
 * let the operation through, which a value far beyond it never is.
 */
export function documentedMaximum(description: string | null | undefined): number | null {
  const range = /(\d[\d,]*)\s*–\s*(\d[\d,]*)/.exec(description ?? '');
  return range ? Number(range[2]!.replaceAll(',', '')) : null;
}

/**
 * The slicing arguments (@listSize) an operation sets above their documented maximum, for a
 * QUERY_TOO_COSTLY refusal to name: `regionNameSuggestions(first: 100000)` is refused for its cost
 * before its subgraph could say "first must be between 1 and 20", and the client should learn the
 * bound rather than only that the estimate was too high. Walked only for a refusal.
 */
export function argumentsOverBounds(
  schema: GraphQLSchema,
  declarations: CostDeclarations,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): ArgumentOverBound[] {
  // The operation and the fragments it spreads, not other operations' of the same document.
  const used = fragmentsSpreadBy(operation, fragmentsOf(document));
  const values = withDefaults(operation, variables);
  const found = new Map<string, ArgumentOverBound>();
  const typeInfo = new TypeInfo(schema);
  visit(
    { kind: Kind.DOCUMENT, definitions: [operation, ...used] },
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const listSize = parent && field ? declarations.listSizes.get(`${parent.name}.${field.name}`) : undefined;
        if (!parent || !field || !listSize) return;
        for (const argument of node.arguments ?? []) {
          if (!listSize.slicingArguments.includes(argument.name.value)) continue;
          const value = valueOf(argument.value, values);
          const max = documentedMaximum(field.args.find((definition) => definition.name === argument.name.value)?.description);
          if (typeof value !== 'number' || max === null || value <= max) continue;
          const coordinate = `${parent.name}.${field.name}(${argument.name.value}:)`;
          found.set(`${coordinate} ${value}`, { coordinate, value, max });
        }
      },
    }),
  );
  return [...found.values()];
}

/** The refusal's sentence naming the arguments over their bounds; empty without any. */
function overBoundsSentence(over: readonly ArgumentOverBound[]): string {
  if (over.length === 0) return '';
  return ` ${over.map((bound) => `${bound.coordinate} is ${bound.value}, over its maximum of ${bound.max}`).join('; ')}.`;
}

/** Estimates kept per operation: a few dozen variable sets cover the clients that repeat an operation. */
const MAX_ESTIMATES_PER_OPERATION = 64;
/** Variables longer than this as JSON (a list of hundreds of codes) are estimated afresh: their key would cost as much as the walk. */
const MAX_MEMO_KEY_LENGTH = 2048;

/**
 * {@link estimateCost} remembered per operation and variables. Apollo Server hands every request
 * with the same query text the same parsed document from its document store, so the operation
 * node identifies the query; the memo starts over with a new schema or new declarations (a
 * reloaded supergraph) or new data years (an import of another year). The walk was the dearest of the gateway's plugins per request (14 µs on the
 * funding query in-process, ~50 µs under the profiler; docs/benchmarks.md); a repeated operation now
 * costs its key and a lookup (~1 µs).
 */
export function memoisedEstimator(stopAbove = Number.POSITIVE_INFINITY) {
  let estimates = new WeakMap<OperationDefinitionNode, Map<string, number>>();
  /** Operations whose variables once ran over the key's length: not keyed again (a bulk lookup's codes). */
  let unkeyed = new WeakSet<OperationDefinitionNode>();
  let forSchema: GraphQLSchema | null = null;
  let forDeclarations: CostDeclarations | null = null;
  let forYears: DataYears | null = null;
  return (
    schema: GraphQLSchema,
    declarations: CostDeclarations,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
    years: DataYears = DATA_YEARS,
  ): number => {
    if (schema !== forSchema || declarations !== forDeclarations || years !== forYears) {
      estimates = new WeakMap();
      unkeyed = new WeakSet();
      forSchema = schema;
      forDeclarations = declarations;
      forYears = years;
    }
    if (unkeyed.has(operation)) return estimateCost(schema, declarations, document, operation, variables, stopAbove, years);
    const key = JSON.stringify(variables);
    if (key.length > MAX_MEMO_KEY_LENGTH) {
      unkeyed.add(operation);
      return estimateCost(schema, declarations, document, operation, variables, stopAbove, years);
    }
    let known = estimates.get(operation);
    if (!known) estimates.set(operation, (known = new Map()));
    const remembered = known.get(key);
    if (remembered !== undefined) return remembered;
    const estimated = estimateCost(schema, declarations, document, operation, variables, stopAbove, years);
    if (known.size >= MAX_ESTIMATES_PER_OPERATION) known.clear();
    known.set(key, estimated);
    return estimated;
  };
}

/** The actual cost of an answer by the same weights: one per object in the data, lists counted item by item. */
export function actualCost(data: unknown): number {
  return Math.max(0, countObjects(data) - 1);
}

export interface DemandControlOptions {
  /** Largest estimated cost of one operation (GATEWAY_MAX_COST). */
  maxCost: number;
  /** Cost points a client may spend per window (RATE_LIMIT_COST_POINTS per RATE_LIMIT_WINDOW_SECONDS). */
  costPointsPerWindow: number;
  windowSeconds: number;
  /** Estimated cost of all operations in flight above which expensive ones are refused (GATEWAY_MAX_INFLIGHT_COST). */
  maxInflightCost: number;
  /** Operations up to this estimate are cheap: never shed, so they keep their latency (GATEWAY_CHEAP_COST). */
  cheapCost: number;
  store: SharedStore;
  /** The current supergraph's SDL (it may be reloaded). */
  supergraphSdl: () => string;
  /** Where a client out of cost points is said, once per window. */
  logger?: Logger;
  /** The stored data's years, which open year ranges reach to (data-years.ts); without it the shipped data's, DATA_YEARS. */
  dataYears?: { current(): Promise<DataYears>; known(): DataYears };
}

function refusal(
  message: string,
  code: string,
  status: number,
  extensions: Record<string, unknown>,
  retryAfterSeconds?: number,
): GraphQLError {
  const headers = retryAfterSeconds === undefined ? undefined : new Map([['retry-after', String(retryAfterSeconds)]]);
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status, ...(headers ? { headers } : {}) } } });
}

/**
 * The demand-control plugin: refuses an operation whose estimate exceeds maxCost or the client's
 * whole cost-point budget per window (QUERY_TOO_COSTLY, 400, with the estimate and no Retry-After:
 * it never fits; `argumentsOverBounds` names a page size set beyond its documented maximum), a client whose cost points for the window are spent (RATE_LIMITED, 429), and
 * an expensive operation while the in-flight cost is too high (OVERLOADED, 503 with Retry-After);
 * every answer carries `extensions.cost { estimated, actual, limit }`.
 */
export function demandControlPlugin(options: DemandControlOptions): ApolloServerPlugin<GatewayContext> {
  let sdl = '';
  let declarations = noDeclarations();
  const current = (): CostDeclarations => {
    const latest = options.supergraphSdl();
    if (latest !== sdl) {
      declarations = readCostDeclarations(latest);
      sdl = latest;
    }
    return declarations;
  };
  let inflight = 0;
  const costPoints = new RateLimiter(options.store, options.costPointsPerWindow, options.windowSeconds, {
    name: 'costpoints',
    logger: options.logger,
  });
  // Walking stops a little past the limit: a fan-out of fragments is not followed to its end.
  const estimate = memoisedEstimator(options.maxCost);
  return {
    async requestDidStart({ contextValue }) {
      let estimated: number | null = null;
      let admitted = 0;
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const declared = current();
          // The years last known where the estimate does not count years (the same figure, and the memo kept).
          const years = !options.dataYears
            ? DATA_YEARS
            : usesDataYears(declared, document)
              ? await options.dataYears.current()
              : options.dataYears.known();
          estimated = estimate(schema, declared, document, operation, request.variables ?? {}, years);
          // An argument beyond its documented bound, named in a refusal: the subgraph that would say so is never asked.
          const overBounds = () => argumentsOverBounds(schema, declared, document, operation, request.variables ?? {});
          if (estimated > options.maxCost) {
            const over = overBounds();
            throw refusal(
              `The query's estimated cost is at least ${estimated} points, over the limit of ${options.maxCost}: each list multiplies the cost of what it holds by its size (from first, the codes or level asked for, the years). Ask for fewer items or fields.${overBoundsSentence(over)}`,
              GatewayErrorCode.QueryTooCostly,
              400,
              { cost: { estimated, limit: options.maxCost }, ...(over.length > 0 ? { argumentsOverBounds: over } : {}) },
            );
          }
          // A partner key may carry its own budget (the keys CLI's --rate-cost-points).
          const budget = contextValue.apiKey?.costPointsPerWindow ?? options.costPointsPerWindow;
          // An estimate over the whole budget would not fit even an empty window, so a 429 with
          // Retry-After would have clients wait and fail forever: refuse it as too costly, without
          // Retry-After, and without charging the budget (nothing could ever be admitted for it).
          if (estimated > budget) {
            const over = overBounds();
            throw refusal(
              `The query's estimated cost of ${estimated} points is over this client's whole budget of ${budget} cost points per ${options.windowSeconds} s, so it can never be admitted: each list multiplies the cost of what it holds by its size (from first, the codes or level asked for, the years). Ask for fewer items or fields.${overBoundsSentence(over)}`,
              GatewayErrorCode.QueryTooCostly,
              400,
              { cost: { estimated, limit: options.maxCost, budget }, ...(over.length > 0 ? { argumentsOverBounds: over } : {}) },
            );
          }
          // The budget's store being down must not take the API down with it.
          const spent = await costPoints.check(contextValue.client, budget, estimated).catch(() => null);
          contextValue.chargedCostPoints = estimated;
          if (spent && !spent.allowed) {
            throw refusal(
              `Too many cost points: at most ${budget} per ${options.windowSeconds} s, and this query was estimated at ${estimated}. Retry after ${spent.retryAfterSeconds} s.`,
              GatewayErrorCode.RateLimited,
              429,
              { cost: { estimated, limit: options.maxCost, budget } },
              spent.retryAfterSeconds,
            );
          }
          if (estimated > options.cheapCost && inflight + estimated > options.maxInflightCost) {
            throw refusal(
              `The service is busy with expensive queries (estimated cost ${estimated}); cheap queries are still served. Retry after 2 s.`,
              GatewayErrorCode.Overloaded,
              503,
              { cost: { estimated, limit: options.maxCost } },
              2,
            );
          }
          admitted = estimated;
          inflight += admitted;
          contextValue.estimatedCost = estimated;
        },
        async willSendResponse({ response }) {
          inflight -= admitted;
          admitted = 0;
          if (response.body.kind !== 'single' || estimated === null) return;
          const result = response.body.singleResult;
          if (result.errors?.some((error) => error.extensions?.cost !== undefined) && !result.data) return;
          result.extensions = { ...result.extensions, cost: { estimated, actual: actualCost(result.data), limit: options.maxCost } };
        },
      };
    },
  };
}

/**
 * The checks demand control adds to one request, as a function of the operation (the benchmark
 * times it per operation against the gateway's CPU time per request): the estimate before, the
 * actual cost after; `years`: the data's years and bounds, as the gateway last read them.
 */
export function costCheckOf(
  supergraphSdl: string,
  years: DataYears = DATA_YEARS,
): (document: DocumentNode, variables: Record<string, unknown>, data: unknown) => number {
  const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  const declarations = readCostDeclarations(supergraphSdl);
  return (document, variables, data) => {
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
    )!;
    return estimateCost(schema, declarations, document, operation, variables, Number.POSITIVE_INFINITY, years) + actualCost(data);
  };
}
