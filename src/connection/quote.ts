// Moved to src/command/quote.ts; kept until the modules being split import it from there.
export { shellJoin, shellQuote } from '../command/quote.js';
