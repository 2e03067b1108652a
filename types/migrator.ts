import type { Operation } from './operations';
import type {
  DowngradeOptions,
  GenerateOptions,
  GenerateResult,
  SqlOptions,
  Status,
  StepResult,
  Target,
  UpgradeOptions,
} from './options';

/** What `createMigrator(options)` returns. Every method is one call away for the CLI too. */
export interface Migrator {
  /** Applies pending migrations up to head, or up to and including `to`. */
  upgrade(options?: UpgradeOptions): Promise<StepResult[]>;
  /** Reverts one migration by default; `{ step: n }`, `{ to: name }` (keeps name), `{ to: 0 }`. */
  downgrade(options?: DowngradeOptions): Promise<StepResult[]>;
  status(): Promise<Status>;
  /** Records migrations as applied up to `target` (or removes rows after it) without running them. */
  stamp(target: Target): Promise<void>;
  /**
   * What the database lacks to match the models. No writes. `renames` as for generate().
   * @throws ModelConflictError (`E_MODEL_CONFLICT`) when two models describe one table differently,
   * ModelNameError (`E_MODEL_NAME`) for a name Sequelize cannot write; so do generate() and check().
   */
  diff(options?: Pick<GenerateOptions, 'renames'>): Promise<Operation[]>;
  /**
   * Writes a migration file from `diff()`; null when nothing changed. `renames` turns a dropped and
   * added column or table into a rename; an operation that would destroy data the database holds
   * now throws DataLossError (E_DATA_LOSS) and writes nothing, unless `allowDataLoss`.
   * @throws RenameError (E_RENAME), DataLossError (E_DATA_LOSS), NotAtHeadError (E_NOT_AT_HEAD)
   * @example
   * await migrator.generate('rename name', { renames: { 'users.name': 'fullName' } });
   */
  generate(message: string, options?: GenerateOptions): Promise<GenerateResult | null>;
  /** Writes an empty migration to fill in by hand. */
  revision(message: string): Promise<GenerateResult>;
  /** Resolves when the database matches the models; throws DriftError listing the operations. */
  check(): Promise<void>;
  /** Tests: database at head with every table the migrations own empty. */
  reset(): Promise<void>;
  /** The SQL an upgrade would run, without running it, where the dialect allows. */
  sql(options?: SqlOptions): Promise<string>;
  /** The migrations folder, or null for in-code migrations. */
  readonly folder: string | null;
}
