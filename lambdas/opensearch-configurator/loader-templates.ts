/**
 * The loader's component and index templates (ECS mappings for every log type of aws.ini + user.ini),
 * exactly as the loader itself would install them. The configurator bundle ships the same ini files.
 */
import { indexTemplates } from '../es-loader/ecs/templates';
import { Pipeline } from '../es-loader/pipeline';
import type { TemplateDefinition } from './desired-state';

export function loaderTemplates(): TemplateDefinition[] {
  return indexTemplates(Pipeline.create().logTypes);
}
