/**
 * Reading aws.ini / user.ini text and merging them into one set of raw sections.
 *
 * Where the files live: aws.ini and user.ini sit in `lambdas/es-loader/`. In a bundle built by esbuild
 * the code runs from the bundle's directory, so the build copies both files next to the bundle file
 * (`<outdir>/aws.ini`, `<outdir>/user.ini`). We look in `__dirname` and its parent so that the same code
 * works from the checkout (tsx/vitest: __dirname is lambdas/es-loader/config) and from the bundle
 * (__dirname is the bundle's directory). `ES_LOADER_AWS_INI` overrides the path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'ini';
import { ConfigError } from '../errors';

/** One section's raw string values, each remembering the file it came from (for error messages). */
export interface RawSection {
  name: string;
  values: Map<string, { value: string | string[]; file: string }>;
}
export interface RawConfig {
  defaults: RawSection;
  sections: RawSection[];
}

/** Paths of the data files the bundle must ship next to the bundled loader (for the runtime's esbuild step). */
export const INI_DATA_FILES = ['aws.ini', 'user.ini'] as const;

export function findDataFile(name: string): string | undefined {
  for (const dir of [__dirname, join(__dirname, '..'), join(__dirname, '..', 'es-loader')]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function readBundledIni(name: 'aws.ini' | 'user.ini'): { text: string; file: string } | undefined {
  const override = name === 'aws.ini' ? process.env.ES_LOADER_AWS_INI : process.env.ES_LOADER_USER_INI;
  const path = override ?? findDataFile(name);
  if (!path) return undefined;
  try {
    return { text: readFileSync(path, 'utf8'), file: path };
  } catch (err) {
    throw new ConfigError(`cannot read ${name} at ${path}: ${(err as Error).message}`, path, undefined, undefined, { cause: err });
  }
}

/**
 * Parses ini text. The `ini` package treats `;` and `#` as the start of a comment anywhere in a value
 * and dots in section names as nesting, so regular expressions must escape those characters as `\;`
 * and `\#`, and section names must not contain dots; both are reported here with the file and section.
 */
export function parseIni(text: string, file: string): Map<string, Map<string, string | string[]>> {
  let parsed: Record<string, unknown>;
  try {
    parsed = parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`${file}: not a valid ini file: ${(err as Error).message}`, file, undefined, undefined, { cause: err });
  }
  const out = new Map<string, Map<string, string | string[]>>();
  for (const [section, body] of Object.entries(parsed)) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ConfigError(
        `${file}: key "${section}" is outside any section; every setting belongs to a [log-type] section or [DEFAULT]`,
        file,
        undefined,
        section,
      );
    }
    const values = new Map<string, string | string[]>();
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value === 'string') values.set(key, value);
      else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) values.set(key, value as string[]);
      else if (typeof value === 'boolean') values.set(key, String(value));
      else
        throw new ConfigError(
          `${file}: section [${section}.${key}] looks like a section name with a dot; section names must not contain "."`,
          file,
          `${section}.${key}`,
        );
    }
    out.set(section, values);
  }
  return out;
}

/** Merges ini files in order: later files override keys of earlier ones and may add sections. */
export function mergeIni(files: Array<{ text: string; file: string }>): RawConfig {
  const defaults: RawSection = { name: 'DEFAULT', values: new Map() };
  const sections = new Map<string, RawSection>();
  for (const { text, file } of files) {
    for (const [name, values] of parseIni(text, file)) {
      const target = name === 'DEFAULT' ? defaults : sections.get(name) ?? { name, values: new Map() };
      if (name !== 'DEFAULT') sections.set(name, target);
      for (const [k, v] of values) target.values.set(k, { value: v, file });
    }
  }
  return { defaults, sections: [...sections.values()] };
}
