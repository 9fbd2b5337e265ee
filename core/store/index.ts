export type {
  BaseDoc,
  Collection,
  CollectionDef,
  Filter,
  FindOptions,
  FindOneAndUpdateOptions,
  IndexSpec,
  NewDoc,
  Page,
  PageOptions,
  RawStore,
  SortSpec,
  Store,
  TenantStore,
  Update,
  UpdateOptions,
  WriteListener,
} from './types.ts';
export { createStore } from './create-store.ts';
export { createNedbStore } from './nedb-store.ts';
export { createMongoStore } from './mongo-store.ts';
export { openStore } from './open-store.ts';
export { newId } from './new-id.ts';
export { DuplicateKeyError, StoreMisuseError, VersionConflictError } from './errors.ts';
export { InvalidCursorError } from './cursor-codec.ts';
