// MIT, BSD and Apache-2.0 ask that the copyright and licence notice go with every copy, and the
// Atlas's bundle copies its npm dependencies into every browser that opens it. This Vite plugin
// writes those notices next to the bundle: the packages whose modules the bundle holds, read from
// the chunks' module ids (what is really shipped, not what package.json declares), each with its
// version, licence and the text of its licence file.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

export const NOTICES_FILE = 'third-party-licenses.txt';

interface BundledPackage {
  name: string;
  version: string;
  licence: string;
  text: string;
}

/** The folder of the npm package a module id lies in, or null for the Atlas's own modules. */
export function packageFolder(moduleId: string): string | null {
  // Virtual modules (`\0…`) carry the real path after the prefix, with a query at most.
  const file = moduleId.replace(/^\0/, '').replace(/\?.*$/, '').split(path.sep).join('/');
  const marker = file.lastIndexOf('/node_modules/');
  if (marker < 0) return null;
  const rest = file.slice(marker + '/node_modules/'.length).split('/');
  const depth = rest[0]?.startsWith('@') ? 2 : 1;
  if (rest.length <= depth) return null;
  return `${file.slice(0, marker)}/node_modules/${rest.slice(0, depth).join('/')}`;
}

function licenceText(folder: string): string | null {
  const file = readdirSync(folder).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
  return file ? readFileSync(path.join(folder, file), 'utf8').trim() : null;
}

/** The notices file: a header, then one block per package, sorted by name. */
export function formatNotices(packages: readonly BundledPackage[]): string {
  const rule = '-'.repeat(78);
  return [
    'RegioGraph Atlas Niedersachsen – Lizenzen der verwendeten Software / third-party software licences',
    '',
    'The Atlas bundles the following npm packages. Each is listed with its version, its licence',
    '(SPDX) and the licence text it ships with.',
    '',
    ...[...packages]
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((found) => [rule, `${found.name} ${found.version}`, `License: ${found.licence}`, '', found.text, '']),
  ].join('\n');
}

export function thirdPartyLicenses(): Plugin {
  return {
    name: 'regiograph-third-party-licenses',
    apply: 'build',
    generateBundle(_options, bundle) {
      const folders = new Set<string>();
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        for (const id of output.moduleIds) {
          const folder = packageFolder(id);
          if (folder) folders.add(folder);
        }
      }
      const packages = [...folders].map((folder) => {
        const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as {
          name: string;
          version: string;
          license?: string;
        };
        const text = licenceText(folder);
        // Shipping a package without its notice would break its licence: the build stops instead.
        if (!manifest.license || !text) {
          this.error(`${manifest.name} is bundled but names no licence or ships no licence file in ${folder}`);
        }
        return { name: manifest.name, version: manifest.version, licence: manifest.license, text };
      });
      this.emitFile({ type: 'asset', fileName: NOTICES_FILE, source: formatNotices(packages) });
    },
  };
}
