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

async function graphqlFiles(target: string): Promise<string[]> {
  if (!(await stat(target)).isDirectory()) return [target];
  const entries = await readdir(target, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(graphql|gql)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Reads `.graphql` files (or folders of them) and registers every operation in the safelist. */
export async function registerOperations(safelist: Safelist, targets: string[]): Promise<RegisteredOperation[]> {
  const registered: RegisteredOperation[] = [];
  for (const target of targets) {
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
