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
import { REFERENCE_NAMES } from './reference-names';

/** One section's raw string values, each remembering the file it came from (for error messages). */
export interface RawSection {
  name: string;
  values: Map<string, { value: string | string[]; file: string }>;
  /** Keys that `${key}` references used as variables (config/reference-grammar.ts): not log type settings. */
  variables?: ReadonlySet<string>;
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
    parsed = parse(fromReferenceSyntax(text)) as Record<string, unknown>;
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

/**
 * The reference's ini files are read by Python's configparser, whose syntax differs from the `ini`
 * package's in four ways; this rewrites such text into the form the `ini` package reads with the same
 * meaning (docs/log-types.md "user.ini"):
 * - an indented line continues the value of the key above it. configparser joins the lines with a line
 *   break: in a regular expression (`log_pattern`, the `*_firstline` keys, `s3_key`...: REGEX_KEYS) that
 *   break is matched, so there they are joined with `\n`, the escape that matches it (the reference's
 *   multi-line CloudHSM pattern); elsewhere (`ecs` lists, field candidates) with a space, which is what a
 *   list means either way;
 * - `key: value` is `key = value`;
 * - `;` and `#` inside a value are literal (regular expressions such as `^# Time:`); only a `;` or `#`
 *   after whitespace still starts a comment here, as in our own files. `\;` and `\#` stay accepted.
 * Comment lines, section headers and our own `key = value` lines pass through unchanged.
 */
const REGEX_KEYS: ReadonlySet<string> = new Set(['log_pattern', 'multiline_firstline', 'xml_firstline', 's3_key', 's3_key_ignored', 'file_timestamp_format']);

export function fromReferenceSyntax(text: string): string {
  const lines = text.split(/\r?\n/);
  let lastKey = -1; // index of the line whose value an indented line continues
  let joiner = ' ';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed === '') {
      lastKey = -1;
      continue;
    }
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (/^\s/.test(line) && lastKey >= 0) {
      lines[lastKey] = `${lines[lastKey]!}${joiner}${escapeValue(trimmed)}`;
      lines[i] = '';
      continue;
    }
    if (trimmed.startsWith('[')) {
      lastKey = -1;
      continue;
    }
    const eq = line.indexOf('=');
    const colon = line.indexOf(':');
    const at = colon >= 0 && (eq < 0 || colon < eq) && !line.slice(0, colon).includes('[') ? colon : eq;
    if (at < 0) continue;
    const key = line.slice(0, at).trim();
    lines[i] = `${line.slice(0, at).trimEnd()} = ${escapeValue(line.slice(at + 1).trim())}`;
    lastKey = i;
    joiner = REGEX_KEYS.has(key) ? '\\n' : ' ';
  }
  return lines.join('\n');
}

/** Escapes a `;` or `#` that does not follow whitespace (the `ini` package would cut the value there). */
function escapeValue(v: string): string {
  return v.replace(/(^|[^\s\\])([;#])/g, '$1\\$2');
}

/**
 * Our section that a user.ini section written for the reference means: the reference's names use
 * hyphens where ours use underscores (`cloudfront-standard` is our `cloudfront_standard`), a few differ
 * (config/reference-names.ts), and the reference's `config-history` / `config-snapshot` are both our
 * `config`. A name we have is itself; an unknown name stays as it is (a new log type).
 */
export function ourSectionName(name: string, known: ReadonlySet<string>): string {
  if (known.has(name)) return name;
  for (const alias of [name.replace(/-/g, '_'), name.replace(/_/g, '-'), OUR_NAME_OF[name]])
    if (alias !== undefined && known.has(alias)) return alias;
  return name;
}
const OUR_NAME_OF: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(REFERENCE_NAMES).map(([ours, theirs]) => [theirs, ours])),
  'config-history': 'config',
  'config-snapshot': 'config',
};

/**
 * Merges ini files in order: later files override keys of earlier ones and may add sections. A later
 * file's section named as the reference names one of ours (`[cloudfront-standard]`) overrides ours.
 */
export function mergeIni(files: Array<{ text: string; file: string }>): RawConfig {
  const defaults: RawSection = { name: 'DEFAULT', values: new Map() };
  const sections = new Map<string, RawSection>();
  for (const { text, file } of files) {
    const known = new Set(sections.keys());
    for (const [given, values] of parseIni(text, file)) {
      const name = given === 'DEFAULT' ? given : ourSectionName(given, known);
      const target = name === 'DEFAULT' ? defaults : sections.get(name) ?? { name, values: new Map() };
      if (name !== 'DEFAULT') sections.set(name, target);
      for (const [k, v] of values) target.values.set(k, { value: v, file });
    }
  }
  return { defaults, sections: [...sections.values()] };
}
