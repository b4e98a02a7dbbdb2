export * from './branches';
export * from './members';
export * from './content';
export * from './broadcasts';
export * from './welfare';
export * from './events';
export * from './bot';
export * from './audit';
