/**
 * The parts of Terraform's machine-readable plan (`terraform show -json <planfile>`, format 1.x) that
 * the report reads. Reference: Terraform docs, "Internals: JSON Output Format".
 */

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  /** e.g. `replace_because_cannot_update`, `delete_because_no_resource_config`. */
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly ChangeAction[];
    readonly before: JsonObject | null;
    readonly after: JsonObject | null;
    /** Mirrors `after`; `true` where the value is known only after apply. */
    readonly after_unknown?: JsonValue;
    /** Mirror `before`/`after`; `true` where the value is sensitive (never printed in the report). */
    readonly before_sensitive?: JsonValue;
    readonly after_sensitive?: JsonValue;
    /** Attribute paths that force the replacement. */
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
}

export interface PlanJson {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly ResourceChange[];
  readonly errored?: boolean;
  readonly [k: string]: unknown;
}

/** What a change does, in review terms. `replace` is delete+create in either order. */
export type ChangeKind = 'create' | 'update' | 'replace' | 'delete' | 'no-op' | 'read' | 'forget';

export function changeKind(actions: readonly ChangeAction[]): ChangeKind {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.length === 1) return actions[0]!;
  if (actions.includes('forget')) return 'forget';
  return 'update';
}
