export * from './data';
export * from './summarize';
export * from './json';
export * from './markdown';
export * from './text';
export * from './sarif';
export * from './text-report';
export * from './mermaid';
