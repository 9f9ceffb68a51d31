import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';
import { ErrorCode } from './errors';

// PostgreSQL's text types cannot hold U+0000: a value with it fails every statement it reaches
// ("invalid byte sequence for encoding UTF8: 0x00"), as an internal error after the request has
// been planned, authorized and half run. No value of this API needs it, so an operation carrying it
// is refused as bad input before anything runs, by the gateway and, for direct callers, by every
// subgraph.
const NUL = '\u0000';

/** Where a JSON value holds a string with U+0000, as a path below `path` (e.g. `$input.regions[1].regionCode`), or null. */
function nulInValue(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulInValue(item, `${path}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulInValue(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/** Where an operation's variables hold U+0000, as a path (e.g. `$input.regions[1].regionCode`), or null. */
export function nulCharacterInVariables(variables: Record<string, unknown> | undefined): string | null {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const found = nulInValue(value, `$${name}`);
    if (found) return found;
  }
  return null;
}

/** Where a document's string literals hold U+0000 (the escape `\u0000`), as "the string at line L, column C", or null. */
export function nulCharacterInDocument(document: DocumentNode): string | null {
  let found: string | null = null;
  visit(document, {
    StringValue(node) {
      if (!node.value.includes(NUL)) return undefined;
      const start = node.loc?.startToken;
      found = start ? `the string at line ${start.line}, column ${start.column}` : 'a string of the operation';
      return BREAK;
    },
  });
  return found;
}

/**
 * Refuses an operation whose variables or string literals hold U+0000 with BAD_USER_INPUT (HTTP 400),
 * naming where, before it is planned or executed. A document is walked once: Apollo Server keeps
 * one parsed document per query text, and documents without the character are remembered.
 */
export function nulCharacterPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  const clean = new WeakSet<DocumentNode>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          let where = nulCharacterInVariables(request.variables);
          if (!where && !clean.has(document)) {
            where = nulCharacterInDocument(document);
            if (!where) clean.add(document);
          }
          if (where) {
            throw new GraphQLError(
              `Text must not contain the NUL character (U+0000), found in ${where}: PostgreSQL cannot store or compare it.`,
              {
                extensions: { code: ErrorCode.BadUserInput, http: { status: 400 } },
              },
            );
          }
        },
      };
    },
  };
}
