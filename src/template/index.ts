export { TemplateEngine, type RenderMode } from './template.js';
export { TemplateError } from './errors.js';
export { templateReferences, type TemplateReference } from './references.js';
export { CONTEXT_ROOTS, type TemplateContext, type RunInfo } from './context.js';
