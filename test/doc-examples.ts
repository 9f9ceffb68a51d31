// The examples of the documentation, as a reader copies them: every fenced block of the Markdown
// files a newcomer reads, with where it stands and what the comment before it says about it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.join(__dirname, '..');

/**
 * The files read: the root README, docs/, and the README of every workspace (subgraphs included).
 * Found by listing folders, so a new document is covered without editing the test.
 */
export function documentationFiles(root = ROOT): string[] {
  const files: string[] = [];
  const add = (relative: string) => {
    const file = path.join(root, relative);
    if (statSync(file, { throwIfNoEntry: false })?.isFile()) files.push(relative);
  };
  add('README.md');
  for (const name of readdirSync(path.join(root, 'docs')).sort()) if (name.endsWith('.md')) add(path.join('docs', name));
  const folders = (relative: string) =>
    readdirSync(path.join(root, relative), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
      .map((entry) => path.join(relative, entry.name))
      .sort();
  for (const folder of folders('.')) {
    add(path.join(folder, 'README.md'));
    if (folder === 'subgraphs') for (const subgraph of folders(folder)) add(path.join(subgraph, 'README.md'));
  }
  return files;
}

/**
 * What the HTML comment right before a block (`<!-- example: … -->`, blank lines between allowed)
 * says: `run` when there is none; `expects CODE, …` for a block that demonstrates a refusal;
 * `not run: why` for one that is only validated.
 */
export type Marker =
  { kind: 'run' } | { kind: 'expects'; codes: string[] } | { kind: 'not run'; reason: string } | { kind: 'invalid'; text: string };

export interface Block {
  file: string;
  /** 1-based line of the block's first line of content. */
  line: number;
  language: string;
  source: string;
  marker: Marker;
}

const MARKER = /^<!--\s*example:\s*(.*?)\s*-->$/;

export function parseMarker(text: string): Marker {
  const expects = /^expects\s+([A-Z_]+(?:\s*,\s*[A-Z_]+)*)$/.exec(text);
  if (expects) return { kind: 'expects', codes: expects[1]!.split(',').map((code) => code.trim()) };
  const notRun = /^not run:\s*(\S.*)$/.exec(text);
  if (notRun) return { kind: 'not run', reason: notRun[1]! };
  return { kind: 'invalid', text };
}

/** Fenced blocks (```lang … ```, also indented within a list item) of one Markdown text. */
export function blocksOf(file: string, markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[index]!);
    if (!open) continue;
    const indent = open[1]!.length;
    let end = index + 1;
    while (end < lines.length && lines[end]!.trim() !== '```') end += 1;
    let before = index - 1;
    while (before >= 0 && lines[before]!.trim() === '') before -= 1;
    const comment = before >= 0 ? MARKER.exec(lines[before]!.trim()) : null;
    blocks.push({
      file,
      line: index + 2,
      language: open[2]!.toLowerCase(),
      source: lines
        .slice(index + 1, end)
        .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
        .join('\n'),
      marker: comment ? parseMarker(comment[1]!) : { kind: 'run' },
    });
    index = end;
  }
  return blocks;
}

export function documentationBlocks(root = ROOT): Block[] {
  return documentationFiles(root).flatMap((file) => blocksOf(file, readFileSync(path.join(root, file), 'utf8')));
}

/**
 * Placeholders a reader fills in: `…` (text left out) and a string in angle brackets
 * (`"<stored endCursor>"`). A block holding one cannot run as it stands.
 */
export function placeholdersOf(source: string): string[] {
  return [...source.matchAll(/…|"<[^"<>]+>"/g)].map((match) => match[0]);
}

/**
 * The documented substitution before validating a `not run` block: `…` (with a comma after it) is
 * left out, a string in angle brackets becomes a plain string. What remains must validate.
 */
export function substitutePlaceholders(source: string): string {
  return source.replace(/…\s*,?/g, '').replace(/"<([^"<>]+)>"/g, (_whole, name: string) => JSON.stringify(name));
}

/** Where the text links to the CSV export: every `/export/….csv?…` address in the file. */
export function exportAddresses(file: string, markdown: string): { file: string; line: number; address: string }[] {
  return markdown.split('\n').flatMap((text, index) =>
    [...text.matchAll(/(?:https?:\/\/[^\s/`'"]+)?(\/export\/[\w.-]+\.csv(?:\?[^\s`'")<>]*)?)/g)].map((match) => ({
      file,
      line: index + 1,
      address: match[1]!,
    })),
  );
}

export interface CurlRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** The words of one shell command, with single and double quotes and backslash-newline as a shell reads them. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let index = 0; index < command.length; index += 1) {
    const char = command[index]!;
    if (char === '\\' && command[index + 1] === '\n') {
      index += 1;
    } else if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (char === "'") {
      const end = command.indexOf("'", index + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${command}`);
      word = (word ?? '') + command.slice(index + 1, end);
      index = end;
    } else if (char === '"') {
      let text = '';
      index += 1;
      while (index < command.length && command[index] !== '"') {
        if (command[index] === '\\' && /["\\$`]/.test(command[index + 1] ?? '')) index += 1;
        text += command[index];
        index += 1;
      }
      if (index >= command.length) throw new Error(`unterminated " in: ${command}`);
      word = (word ?? '') + text;
    } else if (char === '#' && word === null) {
      while (index < command.length && command[index] !== '\n') index += 1;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** The `curl` commands of a shell block (continued lines joined), as requests. */
export function curlRequests(source: string): CurlRequest[] {
  const commands = source.replace(/\\\n/g, ' ').split('\n');
  return commands
    .filter((command) => /^\s*curl\s/.test(command))
    .map((command) => {
      const words = shellWords(command).slice(1);
      const request: CurlRequest = { url: '', method: 'GET', headers: {} };
      for (let index = 0; index < words.length; index += 1) {
        const word = words[index]!;
        if (word === '-H' || word === '--header') {
          const header = words[(index += 1)]!;
          const colon = header.indexOf(':');
          request.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
        } else if (word === '-d' || word === '--data' || word === '--data-raw') {
          request.body = words[(index += 1)];
          request.method = 'POST';
        } else if (word === '-X' || word === '--request') {
          request.method = words[(index += 1)]!;
        } else if (/^-[sSfL]+$/.test(word) || word === '--silent' || word === '--fail') {
          // Output switches: the answer is the same.
        } else if (word.startsWith('-')) {
          throw new Error(`curl option ${word} is not understood by the documentation test: ${command}`);
        } else {
          request.url = word;
        }
      }
      return request;
    });
}
