export * from './central-refs';
export * from './features';
