/**
 * An amount of money in integer paise (1 rupee = 100 paise), always a safe integer.
 *
 * It is a plain `number` alias: it documents intent, and {@link isPaise} checks it at runtime.
 */
export type Paise = number;
