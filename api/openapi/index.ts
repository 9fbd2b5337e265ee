export { IdParam, ProblemSchema, bearerSecurity, pageOf, problemResponses } from './common-schemas.ts';
