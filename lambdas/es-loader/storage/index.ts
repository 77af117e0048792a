export { S3ClientRegistry, STRATEGY_FACTORIES, type S3ClientStrategy, type S3ClientStrategyFactory } from './clients';
export { S3ObjectStore, ObjectNotFoundError, ObjectReadError, readSmallObject, type ObjectStore, type ObjectStream, type ReadOptions } from './read';
