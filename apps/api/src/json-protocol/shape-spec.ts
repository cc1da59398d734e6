/**
 * Request shapes as the Step Functions API model declares them (service model 2016-11-23): member types,
 * required members, length and range constraints, enums. Only the members Baton honours are listed; other
 * members are ignored, as AWS ignores members it does not know.
 */
export type ShapeSpec =
  | {
      kind: 'string';
      min?: number;
      max?: number;
      enum?: readonly string[];
      /** Sensitive members (definitions, payloads) never have their value echoed in an error message. */
      sensitive?: boolean;
      /** A pattern and the text AWS shows for it. */
      pattern?: { regex: RegExp; text: string };
      /**
       * A resource name the action checks itself (`assertValidName`): U+0000 is then left to it, to be refused as
       * `InvalidName` "Invalid Name: '...'" as AWS refuses it, instead of by the generic check here.
       */
      resourceName?: boolean;
      /** A resource name: not well-formed Unicode is `InvalidName` rather than a ValidationException. */
      name?: boolean;
    }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'double'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'list'; member: ShapeSpec; min?: number; max?: number }
  | StructureSpec;

export interface StructureSpec {
  kind: 'structure';
  members: Record<string, ShapeSpec>;
  required?: readonly string[];
  /** The model's shape name, which AWS prints when it quotes a structure value (`Name(member=value, ...)`). */
  name?: string;
}

export const str = (min?: number, max?: number): ShapeSpec => ({ kind: 'string', min, max });
export const sensitive = (min: number | undefined, max: number): ShapeSpec => ({
  kind: 'string',
  min,
  max,
  sensitive: true,
});
export const enumOf = (values: readonly string[]): ShapeSpec => ({ kind: 'string', enum: values });
export const int = (min: number, max: number): ShapeSpec => ({ kind: 'integer', min, max });
export const double = (min: number, max: number): ShapeSpec => ({ kind: 'double', min, max });
export const bool: ShapeSpec = { kind: 'boolean' };
export const list = (member: ShapeSpec, length: { min?: number; max?: number } = {}): ShapeSpec => ({ kind: 'list', member, ...length });
export const struct = (members: Record<string, ShapeSpec>, required: readonly string[] = [], name?: string): StructureSpec => ({
  kind: 'structure',
  members,
  required,
  ...(name !== undefined ? { name } : {}),
});
export const pattern = (spec: ShapeSpec, regex: RegExp, text: string): ShapeSpec =>
  spec.kind === 'string' ? { ...spec, pattern: { regex, text } } : spec;
