/**
 * The index templates the loader makes sure exist: the pipeline's ECS templates (`ecs/templates.ts`:
 * the shared ECS component, one component per index family with its flat_object fields, one index
 * template per family) for the merged aws.ini/user.ini configuration, so a log type added in user.ini
 * gets its template too.
 */
import { indexTemplates } from '../ecs/templates';
import type { Pipeline } from '../pipeline';
import type { TemplateDefinition } from '../sink';

export function loaderTemplates(pipeline: Pipeline): TemplateDefinition[] {
  return indexTemplates(pipeline);
}
