/**
 * Every error this library throws on purpose is a {@link RetentionError}, so a
 * caller can catch the whole family with one `instanceof` check and narrow to
 * a subclass when it cares which kind.
 *
 * @example
 * ```ts
 * try {
 *   RetentionModel.create().actions([]);
 * } catch (e) {
 *   if (e instanceof InvalidInputError) console.log(e.path, e.message);
 * }
 * ```
 */
export class RetentionError extends Error {
  /** A stable machine-readable code, e.g. `INVALID_INPUT`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Input data or a model definition is wrong: a bad value, a duplicate id,
 * an unknown column. `path` names where (for example `customers.churnProbability[17]`),
 * `value` holds the offending value when there is one.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof InvalidInputError) console.error(`${e.path}: ${e.message}`); }
 * ```
 */
export class InvalidInputError extends RetentionError {
  /** Where the problem is, as a dotted/indexed path into what was passed. */
  readonly path: string;
  /** The offending value, when a single value is at fault. */
  readonly value: unknown;
  constructor(path: string, message: string, value?: unknown) {
    super('INVALID_INPUT', `${path}: ${message}`);
    this.path = path;
    this.value = value;
  }
}

/**
 * A model cannot be written to the `retention-model/v1` format, typically
 * because a constraint plugin or filter exists only as code (a predicate).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof SerializationError) console.error(e.plugin); }
 * ```
 */
export class SerializationError extends RetentionError {
  /** Name of the constraint or filter that has no JSON form. */
  readonly plugin: string;
  constructor(plugin: string, message: string) {
    super('NOT_SERIALIZABLE', message);
    this.plugin = plugin;
  }
}

/**
 * A backend was asked for a model larger than it can solve in reasonable time.
 * The message names the size and the backend to use instead.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof SolverLimitError) plan = await model.solve({ solver: e.suggested }); }
 * ```
 */
export class SolverLimitError extends RetentionError {
  /** The backend that refused. */
  readonly solver: string;
  /** The backend suggested for this size. */
  readonly suggested: string;
  constructor(solver: string, suggested: string, message: string) {
    super('SOLVER_LIMIT', message);
    this.solver = solver;
    this.suggested = suggested;
  }
}

/**
 * A backend returned a plan that the independent verifier rejected, or failed
 * outright. Never swallowed: a half plan is not returned as if it were good.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof SolverError) console.error(e.solver, e.message); }
 * ```
 */
export class SolverError extends RetentionError {
  /** The backend that failed. */
  readonly solver: string;
  constructor(solver: string, message: string) {
    super('SOLVER_ERROR', `${solver}: ${message}`);
    this.solver = solver;
  }
}
