/** Writes `message` as a Node.js process warning of type `OpmeterWarning` (stderr by default). */
export function emitProcessWarning(message: string): void {
  process.emitWarning(message, { type: 'OpmeterWarning' });
}
