export * from './attempt';
export * from './episode';
export * from './insight';
export * from './ids';
export * from './time';
export * from './patch';
export * from './errorSignature';
export * from './code';
