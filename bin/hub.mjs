#!/usr/bin/env -S node --max-semi-space-size=64
// The hub runs its TypeScript sources directly through tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
