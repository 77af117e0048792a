/** The built-in transforms (registry.ts, generated from the log-type folders by registry-gen.ts). */
export { TRANSFORMS } from './registry';
export type { Transform, TransformContext, KeyInfo } from './types';
