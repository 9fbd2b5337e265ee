import { Aggregator } from 'mingo';
import { ProcessingMode, type Options, type PipelineOperator } from 'mingo/core';

/** Stages that read their input documents and never change them (they build new ones). */
const READ_ONLY_STAGES = new Set(['$match', '$group', '$project', '$count', '$limit', '$skip']);

/**
 * mingo's `$facet`, except that a sub-pipeline made only of read-only stages reads the input
 * documents as they are. mingo deep-clones the whole input for every sub-pipeline, so that one
 * cannot change what another sees; over 100,000 documents that clone costs more than the stages.
 * Sub-pipelines with any other stage still get their own clone.
 */
export const sharedInputFacet: PipelineOperator = (collection, expr, options: Options) =>
  collection.transform((docs) => {
    const out: Record<string, unknown> = {};
    for (const [name, pipeline] of Object.entries(expr as Record<string, Record<string, unknown>[]>)) {
      const readOnly = pipeline.every((stage) => Object.keys(stage).every((k) => READ_ONLY_STAGES.has(k)));
      const processingMode = readOnly ? ProcessingMode.CLONE_OFF : ProcessingMode.CLONE_INPUT;
      out[name] = new Aggregator(pipeline, { ...options, processingMode }).run(docs as Record<string, unknown>[]);
    }
    return [out];
  });
