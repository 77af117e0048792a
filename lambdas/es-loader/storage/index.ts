export { S3ClientRegistry, STRATEGY_FACTORIES } from './clients';
export { firstAnswer, type S3ClientStrategy, type S3ClientStrategyFactory } from './strategy';
export { S3ObjectStore, ObjectNotFoundError, ObjectReadError, readSmallObject, type ObjectStore, type ObjectStream, type ReadOptions } from './read';
