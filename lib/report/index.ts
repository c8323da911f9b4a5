export * from './model-summary';
export * from './json';
export * from './markdown';
export * from './text';
export * from './sarif';
