import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';
import { ErrorCode } from './errors';

// Two kinds of text reach PostgreSQL other than as they were sent, so an operation carrying either
// is refused as bad input before anything runs, by the gateway and, for direct callers, by every
// subgraph:
// - U+0000: PostgreSQL's text types cannot hold it. A value with it fails every statement it
//   reaches ("invalid byte sequence for encoding UTF8: 0x00"), as an internal error after the
//   request has been planned, authorized and half run.
// - An unpaired UTF-16 surrogate (JSON's "\ud800" alone): not Unicode text. Encoded for the wire it
//   becomes U+FFFD, so a title was stored, without a word, other than it was sent. GraphQL's own
//   parser already refuses it in a document's literals; JSON variables are where it arrives.
const NUL = '\u0000';
const LONE_SURROGATE = /\p{Surrogate}/u;
const MAX_SHOWN_PATH = 200;

/** Where text that cannot be stored as it is was found (a variable's path or a literal's position), and the code point. */
export interface UnstorableText {
  where: string;
  /** `U+0000`, or the unpaired surrogate's, e.g. `U+D800`. */
  codePoint: string;
}

/** The first code point of a string that cannot be stored as it is, as `U+XXXX`, or null. */
function unstorableCodePointIn(text: string): string | null {
  if (text.includes(NUL)) return 'U+0000';
  const surrogate = LONE_SURROGATE.exec(text);
  return surrogate ? `U+${surrogate[0].charCodeAt(0).toString(16).toUpperCase()}` : null;
}

/**
 * The first string of a JSON value that cannot be stored as it is, with its path below `path` (e.g.
 * `$input.regions[1].regionCode`), or null. Walked with a stack of its own, not by recursion: JSON
 * nested a few hundred thousand levels deep fits in a request body and would overflow the call stack.
 */
function unstorableInValue(value: unknown, path: string): UnstorableText | null {
  const pending: { value: unknown; path: string }[] = [{ value, path }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value === 'string') {
      const codePoint = unstorableCodePointIn(next.value);
      if (codePoint) return { where: next.path, codePoint };
    } else if (Array.isArray(next.value)) {
      for (let index = next.value.length - 1; index >= 0; index--)
        pending.push({ value: next.value[index], path: `${next.path}[${index}]` });
    } else if (next.value !== null && typeof next.value === 'object') {
      for (const [key, item] of Object.entries(next.value).reverse()) pending.push({ value: item, path: `${next.path}.${key}` });
    }
  }
  return null;
}

/** The first variable string that cannot be stored as it is, by its path (e.g. `$input.regions[1].regionCode`), or null. */
export function unstorableTextInVariables(variables: Record<string, unknown> | undefined): UnstorableText | null {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const found = unstorableInValue(value, `$${name}`);
    if (found) return found;
  }
  return null;
}

/** The first string literal of a document holding U+0000 (the escape `\u0000`), as "the string at line L, column C", or null. */
export function unstorableTextInDocument(document: DocumentNode): UnstorableText | null {
  let found: UnstorableText | null = null;
  visit(document, {
    StringValue(node) {
      const codePoint = unstorableCodePointIn(node.value);
      if (!codePoint) return undefined;
      const start = node.loc?.startToken;
      found = { where: start ? `the string at line ${start.line}, column ${start.column}` : 'a string of the operation', codePoint };
      return BREAK;
    },
  });
  return found;
}

function messageFor({ where, codePoint }: UnstorableText): string {
  // A hostile path (JSON nested thousands deep) is cut, so the answer stays small.
  const shown = where.length > MAX_SHOWN_PATH ? `${where.slice(0, MAX_SHOWN_PATH)}…` : where;
  return codePoint === 'U+0000'
    ? `Text must not contain the NUL character (U+0000), found in ${shown}: PostgreSQL cannot store or compare it.`
    : `Text must be well-formed Unicode, but ${shown} holds an unpaired surrogate (${codePoint}): stored, it would become U+FFFD.`;
}

/**
 * Refuses an operation whose variables or string literals hold text that cannot be stored as it is
 * (above) with BAD_USER_INPUT (HTTP 400), naming where, before it is planned or executed. A document
 * is walked once: Apollo Server keeps one parsed document per query text, and clean documents are
 * remembered.
 */
export function unstorableTextPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  const clean = new WeakSet<DocumentNode>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          let found = unstorableTextInVariables(request.variables);
          if (!found && !clean.has(document)) {
            found = unstorableTextInDocument(document);
            if (!found) clean.add(document);
          }
          if (found) {
            throw new GraphQLError(messageFor(found), { extensions: { code: ErrorCode.BadUserInput, http: { status: 400 } } });
          }
        },
      };
    },
  };
}
