import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';
import { ErrorCode } from './errors';

// PostgreSQL's text types cannot hold U+0000: a value with it fails every statement it reaches
// ("invalid byte sequence for encoding UTF8: 0x00"), as an internal error after the request has
// been planned, authorized and half run. No value of this API needs it, so an operation carrying it
// is refused as bad input before anything runs, by the gateway and, for direct callers, by every
// subgraph.
const NUL = '\u0000';
const MAX_SHOWN_PATH = 200;

/**
 * Where a JSON value holds a string with U+0000, as a path below `path` (e.g.
 * `$input.regions[1].regionCode`), or null. Walked with a stack of its own, not by recursion: JSON
 * nested a few hundred thousand levels deep fits in a request body and would overflow the call stack.
 */
function nulInValue(value: unknown, path: string): string | null {
  const pending: { value: unknown; path: string }[] = [{ value, path }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value === 'string') {
      if (next.value.includes(NUL)) return next.path;
    } else if (Array.isArray(next.value)) {
      for (let index = next.value.length - 1; index >= 0; index--)
        pending.push({ value: next.value[index], path: `${next.path}[${index}]` });
    } else if (next.value !== null && typeof next.value === 'object') {
      for (const [key, item] of Object.entries(next.value).reverse()) pending.push({ value: item, path: `${next.path}.${key}` });
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
            // A hostile path (JSON nested thousands deep) is cut, so the answer stays small.
            const shown = where.length > MAX_SHOWN_PATH ? `${where.slice(0, MAX_SHOWN_PATH)}…` : where;
            throw new GraphQLError(
              `Text must not contain the NUL character (U+0000), found in ${shown}: PostgreSQL cannot store or compare it.`,
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
