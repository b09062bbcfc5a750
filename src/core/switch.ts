let enabled = true;

/** Turns recording on or off process-wide; when off, wrapped functions run with no measuring. */
export function setRecordingEnabled(on: boolean): void {
  enabled = on;
}

/** Whether recording is on (see {@link setRecordingEnabled}). */
export function isRecordingEnabled(): boolean {
  return enabled;
}
