/**
 * How a fractional paisa is resolved.
 *
 * - `half-up`: ties go away from zero (0.5 → 1, -0.5 → -1), so a credit note mirrors its invoice.
 * - `half-even`: ties go to the even neighbour (banker's rounding).
 * - `floor`: toward minus infinity.
 * - `ceil`: toward plus infinity.
 */
export type Rounding = 'half-up' | 'half-even' | 'floor' | 'ceil';
