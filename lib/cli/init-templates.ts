import { assertNever } from '../errors';
/**
 * What `automigrate init` writes: a config that hands the application's Sequelize instance (with
 * its models defined) to the command line. One template per module system.
 */

export type TemplateKind = 'commonjs' | 'esm' | 'typescript';

const HEADER = (comment: string, migrations: string): string =>
  [
    `${comment} Configuration for the \`automigrate\` command line (sequelize-automigrate).`,
    `${comment}`,
    `${comment} Export the createMigrator options, or a function (it may be async) returning them:`,
    `${comment}   sequelize   your Sequelize instance with every model defined on it: \`sequelize.models\``,
    `${comment}               is what \`automigrate migrate\` compares with the live database.`,
    `${comment}   migrations  the folder of migration files, relative to this file ('${migrations}').`,
    `${comment} Optional: tableName, lock, transaction, hooks, include, language, allowOutOfOrder`,
    `${comment} (see the README). The command line closes the connection when it is done.`,
    '',
  ].join('\n');

export function configTemplate(kind: TemplateKind, migrations: string): string {
  const folder = JSON.stringify(migrations).slice(1, -1);
  switch (kind) {
    case 'commonjs':
      return [
        HEADER('//', folder),
        'module.exports = async () => {',
        '  // Change the path to the module that creates your Sequelize instance and defines the models.',
        "  const { sequelize } = require('./models');",
        `  return { sequelize, migrations: '${folder}' };`,
        '};',
        '',
      ].join('\n');
    case 'esm':
      return [
        HEADER('//', folder),
        'export default async () => {',
        '  // Change the path to the module that creates your Sequelize instance and defines the models.',
        "  const { sequelize } = await import('./models/index.js');",
        `  return { sequelize, migrations: '${folder}' };`,
        '};',
        '',
      ].join('\n');
    case 'typescript':
      return [
        HEADER('//', folder),
        '// Loaded with tsx (`npm install --save-dev tsx`); import your models statically, as below.',
        '',
        '// Change the path to the module that creates your Sequelize instance and defines the models.',
        "import { sequelize } from './models';",
        '',
        'export default async () => {',
        `  return { sequelize, migrations: '${folder}' };`,
        '};',
        '',
      ].join('\n');
    default:
      return assertNever(kind, 'template');
  }
}

/** The config file name and template for a project, from its tsconfig.json and package.json type. */
export function chooseTemplate(hasTsconfig: boolean, packageType: 'module' | 'commonjs'): {
  readonly fileName: string;
  readonly kind: TemplateKind;
} {
  if (hasTsconfig) return { fileName: 'automigrate.config.ts', kind: 'typescript' };
  return { fileName: 'automigrate.config.js', kind: packageType === 'module' ? 'esm' : 'commonjs' };
}

/** The template for an explicit `--config` file name, from its extension. */
export function templateForFile(fileName: string, packageType: 'module' | 'commonjs'): TemplateKind | null {
  if (fileName.endsWith('.ts')) return 'typescript';
  if (fileName.endsWith('.mjs')) return 'esm';
  if (fileName.endsWith('.cjs')) return 'commonjs';
  if (fileName.endsWith('.js')) return packageType === 'module' ? 'esm' : 'commonjs';
  return null;
}
