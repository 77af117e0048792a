/**
 * Lambda environments, schema first: each function declares its environment as one zod object schema
 * and exports a builder typed by that schema, which its construct in modules/ calls. A variable name
 * is thus written once (in the schema); the builder's type makes the compiler reject a name the
 * schema does not know or a required one it leaves out.
 */
import type { z } from 'zod';

/** What a construct passes to Lambda for `schema`: every variable as a string, optional ones optional. */
export type LambdaEnvironment<S extends z.ZodObject> = { [K in keyof z.input<S>]: string };

export interface ParseEnvironmentOptions {
  /** Start of the error message, e.g. `Invalid Lambda environment`. */
  readonly title: string;
  /** Builds the function's own error class from the message. */
  readonly error: (message: string) => Error;
  /** Append `(got "value")` to each problem (values are not secrets in these environments). */
  readonly reportInput?: boolean;
}

/**
 * The one environment parser of the functions: validates `env` against `schema` at cold start and
 * throws the function's error naming every variable that is wrong, all at once.
 */
export function parseEnvironment<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv, options: ParseEnvironmentOptions): z.output<S> {
  const parsed = schema.safeParse(env, { reportInput: options.reportInput === true });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const got = options.reportInput && 'input' in i && i.input !== undefined ? ` (got ${JSON.stringify(i.input)})` : '';
    return `${i.path.join('.')}: ${i.message}${got}`;
  });
  throw options.error(`${options.title}: ${problems.join('; ')}`);
}
