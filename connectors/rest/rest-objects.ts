import type { ObjectType } from '../sdk/index.ts';
import type { RestConfig } from './rest-config-schema.ts';

/** The object types a config describes, with the fields and samples it gives. */
export function restObjects(config: RestConfig): Record<string, ObjectType> {
  return Object.fromEntries(
    Object.entries(config.objects).map(([name, o]) => [
      name,
      {
        schema: { ...(o.title === undefined ? {} : { title: o.title }), ...(o.description === undefined ? {} : { description: o.description }), properties: o.fields },
        samples: o.samples ?? [],
        operations: o.operations,
        ...(o.description === undefined ? {} : { description: o.description }),
      } satisfies ObjectType,
    ]),
  );
}
