/** The oracle: a pure model of the Fetch Standard's CORS protocol. No I/O anywhere below. */
export * from './types';
export * from './headers';
export * from './safelist';
export * from './mime';
export * from './origin';
export * from './cors-check';
export * from './preflight';
export * from './cache';
export * from './reasons';
export * from './spec';
export * from './requesters';
export {
  predict,
  predictSteps,
  staticResponder,
  readableHeaders,
  requestHeaderList,
  effectiveCredentials,
  type PredictOptions,
  type Prediction,
} from './fetch';
export * from './explain';
