export {
  mappingsCollection,
  mappingVersionsCollection,
  type MappingDoc,
  type MappingEvent,
  type MappingVersionDoc,
} from './collections.ts';
export {
  activateMappingVersion,
  addMappingVersion,
  createMapping,
  getMappingVersion,
  listMappingVersions,
  type MappingHeader,
  type SpecVersionInput,
} from './mapping-versions.ts';
export { activeMappings, deleteMapping, listMappings, loadMapping, type ActiveMapping } from './mapping-queries.ts';
