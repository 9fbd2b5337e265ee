export { parseCsv } from './parse-csv.ts';
export type { CsvError, CsvRecord } from './parse-csv.ts';
export { csvRecord } from './write-csv.ts';
