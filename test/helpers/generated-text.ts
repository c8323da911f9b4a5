import { readFileSync } from 'node:fs';

/**
 * The committed text of a generated file, for staleness tests. StrykerJS copies the project
 * into a sandbox and inserts a `// @ts-nocheck` line (and a blank one) into every TypeScript file there, so the
 * mutation run would see a file that no generator wrote; that one line is taken out.
 */
export function committedText(file: string): string {
  return readFileSync(file, 'utf8').replace(/^\/\/ @ts-nocheck\n\n?/m, '');
}
