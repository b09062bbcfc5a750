export { RuntimeInstrumentation } from './instrumentation.js';
export * from './semconv.js';
export type { RuntimeInstrumentationConfig } from './types.js';
