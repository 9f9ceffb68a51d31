import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  Kind,
  parse,
  print,
  validate,
  visit,
  type ASTNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
} from 'graphql';
import { fragmentsOf, fragmentsSpreadBy } from './fragments';
import { sha256, type Safelist } from './persisted';

export interface RegisteredOperation {
  name: string;
  sha256: string;
  document: string;
}

/**
 * Splits a client's GraphQL source into one canonical document per named operation, each with the
 * fragments it uses, so the hash a client sends does not depend on how its files are laid out.
 */
export function operationsOf(source: string, origin = 'source'): { name: string; document: string }[] {
  const document = parse(source);
  const fragments = fragmentsOf(document);
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return operations.map((operation) => {
    if (!operation.name) throw new Error(`${origin}: every registered operation needs a name`);
    const used = fragmentsSpreadBy(operation, fragments, (name) => {
      throw new Error(`${origin}: fragment ${name} is not defined`);
    });
    const definitions = [operation, ...used.sort((a, b) => a.name.value.localeCompare(b.name.value))];
    return { name: operation.name.value, document: print({ kind: Kind.DOCUMENT, definitions }) };
  });
}

/**
 * The signature of the operation `name` in a request's text: the operation with the fragments it
 * uses (as `operationsOf` gives it), every selection set sorted, printed. Layout, comments, the order
 * of fields and of fragments, and other operations beside it do not change it, so the text of a
 * team's file and a tool's print of it for a manifest (GraphQL Code Generator sorts the fields) have
 * the same signature. Registration stores it beside the registered text; the safelist compares it
 * when the text itself was not registered. Null when the text has no such named operation.
 */
export function canonicalOperation(source: string, name: string): string | null {
  let document: string | undefined;
  try {
    document = operationsOf(source).find((operation) => operation.name === name)?.document;
  } catch {
    // An anonymous operation or an undefined fragment: nothing registration could have printed.
    return null;
  }
  if (document === undefined) return null;
  // Bottom up (leave): a selection set's members are sorted by their own, already sorted, print.
  // Except a mutation's root fields (and a fragment on the mutation type): they run one after the
  // other in the order written, so `{ deleteA createB }` is not the operation `{ createB deleteA }`.
  const sorted = visit(parse(document), {
    SelectionSet: {
      leave: (node, _key, parent) => {
        const ordered =
          parent !== undefined &&
          !Array.isArray(parent) &&
          (((parent as ASTNode).kind === Kind.OPERATION_DEFINITION && (parent as OperationDefinitionNode).operation === 'mutation') ||
            (((parent as ASTNode).kind === Kind.FRAGMENT_DEFINITION || (parent as ASTNode).kind === Kind.INLINE_FRAGMENT) &&
              (parent as FragmentDefinitionNode | InlineFragmentNode).typeCondition?.name.value === 'Mutation'));
        return ordered ? node : { ...node, selections: [...node.selections].sort((a, b) => print(a).localeCompare(print(b))) };
      },
    },
  });
  return print(sorted);
}

/**
 * The documents of a safelist manifest: the gateway's own (`npm run safelist -- --manifest`,
 * `{ format: "regiograph-safelist/1", operations: [{ document }] }`), or the persisted-documents
 * file of GraphQL Code Generator's client preset (`{ "sha256:<hex>": document }`, also with bare
 * hex keys), whose keys the browser sends and must be the sha256 of their documents.
 */
export function safelistManifestDocuments(text: string, file: string): string[] {
  const manifest: unknown = JSON.parse(text);
  const expected =
    'not a safelist manifest: expected {"format":"regiograph-safelist/1","operations":[{"document":…}]} (npm run safelist -- --manifest) or GraphQL Code Generator\'s persisted documents {"sha256:<hex>":"<document>"}';
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) throw new Error(`${file}: ${expected}`);
  if ('format' in manifest) {
    const operations = (manifest as { operations?: unknown }).operations;
    if (manifest.format !== 'regiograph-safelist/1' || !Array.isArray(operations)) throw new Error(`${file}: ${expected}`);
    return operations.map((operation: unknown, index) => {
      const document = (operation as { document?: unknown } | null)?.document;
      if (typeof document !== 'string') throw new Error(`${file}: operations[${index}] has no document`);
      return document;
    });
  }
  return Object.entries(manifest).map(([key, document]) => {
    const hash = key.replace(/^sha256:/, '');
    if (typeof document !== 'string' || !/^[0-9a-f]+$/.test(hash)) throw new Error(`${file}: ${expected}`);
    if (sha256(document) !== hash) throw new Error(`${file}: ${key} is not the sha256 of its document`);
    return document;
  });
}

/**
 * What registration stores for a document: the document as it is (its hash is what the client sends)
 * and the signature of each of its operations, so that the same operation sent as other text runs
 * too: the team's own file, which a tool printed anew for the manifest, or a file's text beside its
 * canonical print. Throws, naming `origin`, for a document registration cannot take; it touches no
 * store, so a gateway checks its manifest before it opens one.
 */
export function safelistTexts(document: string, origin: string): string[] {
  const texts = [document];
  for (const { name } of operationsOf(document, origin)) {
    const signature = canonicalOperation(document, name);
    if (signature !== null && signature !== document) texts.push(signature);
  }
  return texts;
}

/** Registers a document and its operations' signatures (safelistTexts). Returns the document's hash. */
export async function registerDocument(safelist: Safelist, document: string, origin: string): Promise<string> {
  const [text, ...signatures] = safelistTexts(document, origin);
  const hash = await safelist.register(text!);
  for (const signature of signatures) await safelist.register(signature);
  return hash;
}

async function graphqlFiles(target: string): Promise<string[]> {
  if (!(await stat(target)).isDirectory()) return [target];
  const entries = await readdir(target, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(graphql|gql)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Reads `.graphql` files (or folders of them) and safelist manifests (`.json`: the gateway's own, or
 * GraphQL Code Generator's persisted documents) and registers every operation in the safelist. With
 * `schema` (the supergraph's API schema) every operation is validated first and nothing is registered
 * if one does not fit: a mistake shows at registration, not in the page at run time.
 */
export async function registerOperations(
  safelist: Safelist,
  targets: string[],
  options: { schema?: GraphQLSchema } = {},
): Promise<RegisteredOperation[]> {
  // What to register, read before anything is written: a manifest's documents as they are (its keys
  // are the hashes its client sends, of exactly that text), a .graphql file's in canonical form.
  const read: { origin: string; name: string; document: string }[] = [];
  for (const target of targets) {
    // A manifest names its files itself (a folder's .json files may be anything else).
    if (target.endsWith('.json')) {
      for (const document of safelistManifestDocuments(await readFile(target, 'utf8'), target)) {
        read.push({ origin: target, name: operationsOf(document, target)[0]?.name ?? '(unnamed)', document });
      }
      continue;
    }
    for (const file of await graphqlFiles(target)) {
      for (const operation of operationsOf(await readFile(file, 'utf8'), file)) read.push({ origin: file, ...operation });
    }
  }
  if (options.schema) {
    for (const { origin, name, document } of read) {
      const errors = validate(options.schema, parse(document));
      if (errors.length > 0) {
        throw new Error(`${origin}: operation ${name} does not fit the API: ${errors.map((error) => error.message).join(' ')}`);
      }
    }
  }
  const registered: RegisteredOperation[] = [];
  for (const { origin, name, document } of read) {
    const hash = await registerDocument(safelist, document, origin);
    registered.push({ name, sha256: hash, document });
  }
  // Compared by signature: a manifest's print of a .graphql file's operation is the same operation.
  const names = new Map<string, string | null>();
  for (const operation of registered) {
    const canonical = canonicalOperation(operation.document, operation.name);
    const seen = names.get(operation.name);
    if (seen !== undefined && seen !== canonical) throw new Error(`two different operations are named ${operation.name}`);
    names.set(operation.name, canonical);
  }
  return registered;
}

export { sha256 };
