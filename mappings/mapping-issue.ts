/**
 * Stable codes for everything that can be wrong with a mapping spec (at save time) or with one
 * record (at apply time).
 */
export type MappingIssueCode =
  // text and shape
  | 'unsupported_media_type'
  | 'invalid_syntax'
  | 'invalid_shape'
  // save-time checks
  | 'invalid_path'
  | 'unknown_path'
  | 'type_mismatch'
  | 'invalid_expression'
  | 'not_invertible'
  | 'direction_mismatch'
  | 'ambiguous_transform'
  | 'duplicate_target'
  | 'read_only_target'
  | 'not_applicable'
  // apply-time, per record
  | 'invalid_record'
  | 'required_missing'
  | 'expression_failed'
  | 'filter_failed';

/**
 * One problem, located in the spec (`fields[3].toRemote`, `filter`, `match.hub`) so a 422 can
 * point at it. `position` is the 0-based character offset inside the expression or the text.
 */
export interface MappingIssue {
  path: string;
  code: MappingIssueCode;
  message: string;
  position?: number;
  token?: string;
  line?: number;
  column?: number;
}
