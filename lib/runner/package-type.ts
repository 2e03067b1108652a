import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The `type` of the nearest package.json at or above `folder`, which decides whether a `.js`
 * file there is an ES module (https://nodejs.org/api/packages.html#type): 'commonjs' without one,
 * or when it cannot be read.
 */
export function packageType(folder: string): 'module' | 'commonjs' {
  for (let current = folder; ; current = dirname(current)) {
    const manifest = join(current, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dirname(current) === current) return 'commonjs';
  }
}
