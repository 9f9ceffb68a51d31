// The paging shapes of the API (README.md, "Paging: two shapes, and short lists"), held over the
// composed supergraph: a list that pages is a connection or a cursor page, and none pages by offset.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getNamedType, isListType, isNonNullType, isObjectType, type GraphQLField, type GraphQLType } from 'graphql';

const schema = buildSchema(readFileSync(path.join(__dirname, '..', 'supergraph.graphql'), 'utf8'), { assumeValidSDL: true });

type Shape = 'connection' | 'cursor page' | 'short list' | 'other';

function fieldsOf(type: GraphQLType): Record<string, GraphQLField<unknown, unknown>> {
  const named = getNamedType(type);
  return isObjectType(named) ? named.getFields() : {};
}

function shapeOf(field: GraphQLField<unknown, unknown>): Shape {
  const args = field.args.map((arg) => arg.name);
  const fields = fieldsOf(field.type);
  const names = Object.keys(fields).sort();
  if (args.includes('after')) {
    if (names.join() === 'edges,nodes,pageInfo,totalCount' && getNamedType(fields.pageInfo!.type).name === 'PageInfo') {
      const edge = Object.keys(fieldsOf(fields.edges!.type)).sort();
      return edge.join() === 'cursor,node' ? 'connection' : 'other';
    }
    const items = names.filter((name) => name !== 'endCursor' && name !== 'hasMore');
    const alwaysSet = (name: string) => fields[name] && isNonNullType(fields[name].type);
    const itemsType = items.length === 1 ? fields[items[0]!]!.type : null;
    const list = itemsType !== null && isNonNullType(itemsType) && isListType(itemsType.ofType);
    return list && alwaysSet('endCursor') && alwaysSet('hasMore') ? 'cursor page' : 'other';
  }
  return args.includes('first') ? 'short list' : 'other';
}

/** Every field that takes `first` or `after`, by shape. */
function fieldsByShape(): Record<Shape, string[]> {
  const shapes: Record<Shape, string[]> = { connection: [], 'cursor page': [], 'short list': [], other: [] };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.some((arg) => arg.name === 'first' || arg.name === 'after')) continue;
      shapes[shapeOf(field)].push(`${type.name}.${field.name}`);
    }
  }
  for (const list of Object.values(shapes)) list.sort();
  return shapes;
}

describe('the paging shapes of the supergraph', () => {
  it('pages every list that takes `after` as a connection or a cursor page, as the README lists them', () => {
    // A new paging field belongs in the README's table, under the shape that fits its purpose.
    expect(fieldsByShape()).toEqual({
      connection: ['Query.cooperations', 'Query.projects', 'Query.regions'],
      'cursor page': [
        'Query.cooperationAuditTrail',
        'Query.cooperationChanges',
        'Query.indicatorChanges',
        'Query.projectAuditTrail',
        'Query.projectChanges',
      ],
      'short list': ['Project.transferCandidates', 'Query.regionNameSuggestions', 'Region.similarRegions'],
      other: [],
    });
  });

  it('has no offset paging: no argument named offset, skip, page or limit', () => {
    const offsets: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args)
          if (/^(offset|skip|page|limit)$/i.test(arg.name)) offsets.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    expect(offsets).toEqual([]);
  });

  it('names each field of the table in the README', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Paging'), readme.indexOf('\n## ', readme.indexOf('## Paging') + 1));
    const shapes = fieldsByShape();
    const fields = [...shapes.connection, ...shapes['cursor page'], ...shapes['short list']].map((name) => name.split('.')[1]!);
    expect(fields.filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });
});
