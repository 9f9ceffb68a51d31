import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode } from 'graphql';
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
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return operations.map((operation) => {
    if (!operation.name) throw new Error(`${origin}: every registered operation needs a name`);
    const used = new Map<string, FragmentDefinitionNode>();
    const pending: DefinitionNode[] = [operation];
    while (pending.length > 0) {
      visit(pending.pop()!, {
        FragmentSpread(spread) {
          const name = spread.name.value;
          const fragment = fragments.get(name);
          if (!fragment) throw new Error(`${origin}: fragment ${name} is not defined`);
          if (!used.has(name)) {
            used.set(name, fragment);
            pending.push(fragment);
          }
        },
      });
    }
    const definitions = [operation, ...[...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value))];
    return { name: operation.name.value, document: print({ kind: Kind.DOCUMENT, definitions }) };
  });
}

/**
 * The canonical document of the operation `name` in a request's text (as `operationsOf` prints it
 * for registration), or null when the text has no such named operation: what the safelist compares
 * when the text itself was not registered, so that a team's file runs however it is laid out.
 */
export function canonicalOperation(source: string, name: string): string | null {
  try {
    return operationsOf(source).find((operation) => operation.name === name)?.document ?? null;
  } catch {
    // An anonymous operation or an undefined fragment: nothing registration could have printed.
    return null;
  }
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
 * Registers a document of a manifest as it is (its hash is what the client sends) and, where it
 * differs, the canonical form of each of its operations, so that the text of the team's own file,
 * which a tool printed anew for the manifest, runs too. Returns the document's hash.
 */
export async function registerManifestDocument(safelist: Safelist, document: string, origin: string): Promise<string> {
  const hash = await safelist.register(document);
  for (const operation of operationsOf(document, origin)) {
    if (operation.document !== document) await safelist.register(operation.document);
  }
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
 * GraphQL Code Generator's persisted documents) and registers every operation in the safelist.
 */
export async function registerOperations(safelist: Safelist, targets: string[]): Promise<RegisteredOperation[]> {
  const registered: RegisteredOperation[] = [];
  for (const target of targets) {
    // A manifest names its files itself (a folder's .json files may be anything else).
    if (target.endsWith('.json')) {
      for (const document of safelistManifestDocuments(await readFile(target, 'utf8'), target)) {
        // Registered as it is: its keys are the hashes its client sends, of exactly this text.
        const name = operationsOf(document, target)[0]?.name ?? '(unnamed)';
        registered.push({ name, sha256: await registerManifestDocument(safelist, document, target), document });
      }
      continue;
    }
    for (const file of await graphqlFiles(target)) {
      for (const operation of operationsOf(await readFile(file, 'utf8'), file)) {
        const hash = await safelist.register(operation.document);
        registered.push({ name: operation.name, sha256: hash, document: operation.document });
      }
    }
  }
  const names = new Map<string, string>();
  for (const operation of registered) {
    const seen = names.get(operation.name);
    if (seen && seen !== operation.sha256) throw new Error(`two different operations are named ${operation.name}`);
    names.set(operation.name, operation.sha256);
  }
  return registered;
}

export { sha256 };
