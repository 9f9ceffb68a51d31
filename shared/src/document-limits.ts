import { GraphQLError, Lexer, Source, TokenKind, type GraphQLFormattedError } from 'graphql';
import { readInteger } from './config';
import { ErrorCode } from './errors';

/**
 * Deepest nesting of braces and brackets (selection sets, inline fragments, list and object
 * literals) a query document may have unless MAX_DOCUMENT_NESTING says otherwise. graphql-js parses
 * and validates by recursion: `[[[…]]]` about 2,000 levels deep (fewer than the gateway's 2,000
 * tokens) or `{ a { a … } }` 20,000 deep overflowed the call stack, and the caller read "Maximum
 * call stack size exceeded". A query within the
 * gateway's field depth (GATEWAY_MAX_DEPTH, 12), even with an inline fragment at every level, and the
 * query planner's `_entities` calls for it nest a few dozen levels at most.
 */
export const MAX_DOCUMENT_NESTING = 100;

/**
 * Highest MAX_DOCUMENT_NESTING accepted: half the depth at which graphql-js's recursion overflowed the
 * call stack (`[[[…]]]` about 2,000 levels), so that no setting brings that answer back.
 */
export const HIGHEST_DOCUMENT_NESTING = 1_000;

/**
 * Most validation errors one document is answered with unless MAX_VALIDATION_ERRORS says otherwise;
 * graphql-js then adds "Too many validation errors, error limit reached. Validation aborted." and
 * stops. Its default, 100, let a request of a few hundred bytes (an operation name or an unknown
 * field repeated) get an answer of 130 KB.
 */
export const MAX_VALIDATION_ERRORS = 10;

/** What a client is told when graphql-js gave up validating the operation (explainValidationAbort). */
export const VALIDATION_ABORTED_MESSAGE =
  'Validation stopped: the operation names too many fields in one selection to check that they can be merged ' +
  '(the same field hundreds of times over). Ask for each field once.';

/**
 * An error as Apollo Server formats it, with graphql-js's bare "Validation aborted." explained: it stops
 * comparing the fields of a selection pair by pair once that work passes a budget (the same field
 * named hundreds of times), and says no more than that.
 */
export function explainValidationAbort(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return formatted.message === 'Validation aborted.' ? { ...formatted, message: VALIDATION_ABORTED_MESSAGE } : formatted;
}

/**
 * Longest error message a client is sent, at the gateway and at every subgraph, and longest text in
 * an error's extensions. graphql-js quotes a refused value whole in its message, some twice
 * ('Variable "$level" got invalid value "…"; Value "…" does not exist in "RegionLevel" enum.'): a
 * 500 KB string for an enum argument, sent straight to a subgraph, was answered with about 1 MB. The
 * messages RegioGraph writes itself, and graphql-js's for values of ordinary size, are far shorter.
 */
export const MAX_ERROR_MESSAGE_LENGTH = 1_000;

/** Characters a shortened quoted value keeps at its start and at its end. */
const QUOTED_HEAD = 200;
const QUOTED_TAIL = 40;

/** A quoted string as graphql-js writes values (JSON's escapes). */
const QUOTED = /"[^"\\]*(?:\\.[^"\\]*)*"/g;

function leftOut(characters: number): string {
  return `…(${characters} characters left out)…`;
}

/**
 * The text, shortened to {@link MAX_ERROR_MESSAGE_LENGTH} when longer: every long quoted value in
 * the middle first (the words around it, which name the variable or argument and the reason, stay),
 * then, if still too long, the text itself in the middle. Shorter texts are returned as they are.
 */
export function boundErrorText(text: string): string {
  if (text.length <= MAX_ERROR_MESSAGE_LENGTH) return text;
  const quotedKept = QUOTED_HEAD + QUOTED_TAIL;
  // A quoted value is cut only where that saves more than its marker takes.
  const shortened = text.replace(QUOTED, (quoted) =>
    quoted.length <= quotedKept + 40
      ? quoted
      : quoted.slice(0, QUOTED_HEAD) + leftOut(quoted.length - quotedKept) + quoted.slice(-QUOTED_TAIL),
  );
  if (shortened.length <= MAX_ERROR_MESSAGE_LENGTH) return shortened;
  const tail = 200;
  const head = MAX_ERROR_MESSAGE_LENGTH - tail - leftOut(shortened.length).length;
  return shortened.slice(0, head) + leftOut(shortened.length - head - tail) + shortened.slice(-tail);
}

/** The value with every text in it bounded ({@link boundErrorText}); the value itself when none was too long. */
function boundTexts(value: unknown): unknown {
  if (typeof value === 'string') return boundErrorText(value);
  if (Array.isArray(value)) {
    const items = value.map(boundTexts);
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const entries = Object.entries(value);
  const bounded = entries.map(([key, item]) => [key, boundTexts(item)] as const);
  return bounded.some(([, item], index) => item !== entries[index]![1]) ? Object.fromEntries(bounded) : value;
}

/**
 * An error as Apollo Server formats it, its message bounded ({@link boundErrorText}), and so every
 * text in its extensions: the refused values a resolver lists there (`codes` of UNKNOWN_REGION_CODES),
 * the stack trace outside production, whose first line repeats the message.
 */
export function boundErrorMessage(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const message = boundErrorText(formatted.message);
  const extensions = formatted.extensions && (boundTexts(formatted.extensions) as GraphQLFormattedError['extensions']);
  return message === formatted.message && extensions === formatted.extensions ? formatted : { ...formatted, message, extensions };
}

/**
 * The limits on query documents, the same at the gateway and at every subgraph: each process reads
 * them from its environment at start ({@link readDocumentLimits}).
 */
export interface DocumentLimits {
  /** Deepest nesting of braces and brackets (MAX_DOCUMENT_NESTING); deeper gets QUERY_TOO_DEEP before parsing. */
  maxNesting: number;
  /** Most validation errors one document is answered with (MAX_VALIDATION_ERRORS). */
  maxValidationErrors: number;
}

/** The limits with nothing set in the environment. */
export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = { maxNesting: MAX_DOCUMENT_NESTING, maxValidationErrors: MAX_VALIDATION_ERRORS };

/**
 * The document limits from MAX_DOCUMENT_NESTING and MAX_VALIDATION_ERRORS, their defaults when unset.
 * A value that is not a whole number, 0 (a limit that refuses every document, or one graphql-js would
 * stop validating at before the first error) or a nesting above {@link HIGHEST_DOCUMENT_NESTING} is
 * refused with an error naming the variable, so a process does not start with it.
 */
export function readDocumentLimits(env: NodeJS.ProcessEnv = process.env): DocumentLimits {
  const maxNesting = readInteger('MAX_DOCUMENT_NESTING', MAX_DOCUMENT_NESTING, env);
  if (maxNesting < 1 || maxNesting > HIGHEST_DOCUMENT_NESTING) {
    throw new Error(
      `MAX_DOCUMENT_NESTING must be between 1 and ${HIGHEST_DOCUMENT_NESTING}, got ${JSON.stringify(env.MAX_DOCUMENT_NESTING)}`,
    );
  }
  const maxValidationErrors = readInteger('MAX_VALIDATION_ERRORS', MAX_VALIDATION_ERRORS, env);
  if (maxValidationErrors < 1)
    throw new Error(`MAX_VALIDATION_ERRORS must be a positive integer, got ${JSON.stringify(env.MAX_VALIDATION_ERRORS)}`);
  return { maxNesting, maxValidationErrors };
}

/**
 * The environment that makes {@link readDocumentLimits} read these limits: what a launcher passes to
 * every process it starts, so that the gateway and the subgraphs hold the same ones.
 */
export function documentLimitsEnvironment(limits: DocumentLimits): { MAX_DOCUMENT_NESTING: string; MAX_VALIDATION_ERRORS: string } {
  return { MAX_DOCUMENT_NESTING: String(limits.maxNesting), MAX_VALIDATION_ERRORS: String(limits.maxValidationErrors) };
}

/**
 * Options of every RegioGraph Apollo Server (gateway and subgraphs) for the documents it parses and
 * validates.
 */
export function apolloDocumentOptions(limits: DocumentLimits) {
  return { validationOptions: { maxErrors: limits.maxValidationErrors } } as const;
}

/**
 * QUERY_TOO_DEEP when a query text nests braces and brackets deeper than `maxNesting`
 * ({@link DocumentLimits}), else null. Read token by token with graphql-js's lexer, which keeps
 * no stack (strings, block strings and comments are skipped as the parser would), before the
 * recursive parser sees the text; a text the lexer cannot read is left to the parser's syntax error.
 */
export function documentNestingError(query: string, maxNesting: number): GraphQLError | null {
  // Every request passes here, the subgraphs' calls from the gateway too: a text with no more opening
  // braces and brackets than the limit, whatever it holds, cannot nest deeper, and is not lexed.
  if (openingsAtMost(query, maxNesting)) return null;
  const lexer = new Lexer(new Source(query));
  let depth = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.BRACKET_L) {
        if (++depth > maxNesting) {
          return new GraphQLError(
            `The document nests braces and brackets more than ${maxNesting} levels deep; at most ${maxNesting} are allowed.`,
            {
              extensions: { code: ErrorCode.QueryTooDeep, limit: maxNesting },
            },
          );
        }
      } else if (token.kind === TokenKind.BRACE_R || token.kind === TokenKind.BRACKET_R) {
        depth--;
      }
    }
  } catch (error) {
    if (error instanceof GraphQLError) return null;
    throw error;
  }
  return null;
}

/** Whether the text holds at most `limit` opening braces and brackets, in strings and comments too. */
function openingsAtMost(text: string, limit: number): boolean {
  let openings = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code === 0x7b || code === 0x5b) && ++openings > limit) return false;
  }
  return true;
}
