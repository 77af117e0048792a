/**
 * Makes sure the index template (and the component templates it is composed of) exist before the first
 * document goes to an index they cover. Without it OpenSearch would create the index with dynamic
 * mappings (IP addresses as text, geo points as objects), and a mapping cannot be changed afterwards.
 *
 * The templates come from the pipeline's `indexTemplates(config)`. A template that already exists is
 * left alone (the OpenSearch configurator or an operator may have tuned it); one that is missing is
 * created. Checks are cached per container, so a warm Lambda asks once per template.
 */
import type { Client } from '@opensearch-project/opensearch';
import { statusOf } from './retry';

export interface TemplateDefinition {
  readonly name: string;
  readonly body: Record<string, unknown>;
}

interface IndexTemplate {
  readonly name: string;
  readonly body: Record<string, unknown>;
  readonly patterns: RegExp[];
  readonly composedOf: string[];
}

/** `log-aws-cloudtrail-*` -> /^log-aws-cloudtrail-.*$/ (OpenSearch index patterns only know `*`). */
function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

export class TemplateInstaller {
  private readonly indexTemplates: IndexTemplate[] = [];
  private readonly componentTemplates = new Map<string, Record<string, unknown>>();
  /** Template name -> promise of its presence (shared by concurrent callers). */
  private readonly ensured = new Map<string, Promise<void>>();
  /** Index name -> promise that all its templates are present. */
  private readonly indices = new Map<string, Promise<void>>();

  constructor(
    private readonly client: Client,
    templates: readonly TemplateDefinition[],
  ) {
    for (const t of templates) {
      // An index template has index_patterns; a component template has only `template` (and metadata).
      const patterns = t.body.index_patterns;
      if (patterns !== undefined) {
        const list = Array.isArray(patterns) ? patterns.map(String) : [String(patterns)];
        const composedOf = Array.isArray(t.body.composed_of) ? t.body.composed_of.map(String) : [];
        this.indexTemplates.push({ name: t.name, body: t.body, patterns: list.map(globToRegExp), composedOf });
      } else {
        this.componentTemplates.set(t.name, t.body);
      }
    }
  }

  /** Names of the index templates that cover `index` (most specific first by OpenSearch's priority rules is not our concern: we create all). */
  templatesFor(index: string): string[] {
    return this.indexTemplates.filter((t) => t.patterns.some((p) => p.test(index))).map((t) => t.name);
  }

  /** Resolves once every template covering `index` exists. Rejects if one cannot be created. */
  ensureFor(index: string): Promise<void> {
    let p = this.indices.get(index);
    if (!p) {
      p = this.install(index);
      this.indices.set(index, p);
      // A failed check is retried on the next call instead of being cached.
      p.catch(() => this.indices.delete(index));
    }
    return p;
  }

  private async install(index: string): Promise<void> {
    for (const t of this.indexTemplates.filter((x) => x.patterns.some((p) => p.test(index)))) {
      // Component templates first: an index template cannot reference a missing component template.
      for (const c of t.composedOf) {
        const body = this.componentTemplates.get(c);
        if (body) await this.ensureOne('_component_template', c, body);
      }
      await this.ensureOne('_index_template', t.name, t.body);
    }
  }

  private ensureOne(api: '_index_template' | '_component_template', name: string, body: Record<string, unknown>): Promise<void> {
    const cacheKey = `${api}/${name}`;
    let p = this.ensured.get(cacheKey);
    if (!p) {
      p = (async () => {
        const path = `/${api}/${encodeURIComponent(name)}`;
        // The client answers a HEAD 404 with `body: false` instead of throwing.
        let exists: boolean;
        try {
          const res = await this.client.transport.request({ method: 'HEAD', path }, { maxRetries: 2 });
          exists = res.statusCode === 200 && res.body !== false;
        } catch (err) {
          if (statusOf(err) !== 404) throw err;
          exists = false;
        }
        if (exists) return;
        await this.client.transport.request({ method: 'PUT', path, body }, { maxRetries: 2 });
      })();
      this.ensured.set(cacheKey, p);
      p.catch(() => this.ensured.delete(cacheKey));
    }
    return p;
  }
}
