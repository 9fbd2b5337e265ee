import { connectionsCollection } from '../../core/connections/index.ts';
import type { CollectionDef } from '../../core/store/index.ts';

/** Every collection whose documents hold vault ciphertexts; `hub keys rotate` visits these. */
export const SECRET_COLLECTIONS: CollectionDef[] = [connectionsCollection];
